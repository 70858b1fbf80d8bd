// Package jobstest holds the tests of the JobsManager and Verifier contracts on a real EVM
// (go-ethereum's simulated backend) with the whole protocol deployed by deploy.Deploy: jobs end to
// end, every slashing path, the windows, and the contracts' agreement with package claims.
package jobstest
