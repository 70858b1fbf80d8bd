// Package solver owns the trusted verification solver: it follows the
// Verifier contract's VerificationRequested events, decides each request
// with a Checker (by default a re-encode of the challenged segment compared
// with the renditions the transcoder committed to), and answers it once
// with submitResult through the account's transaction manager.
//
// A request is recorded in a bbolt DB when it is first seen; its verdict is
// recorded before the answer is sent, and the send is keyed by the request
// and attempt, so that a restart resends the same verdict at the same nonce
// and never answers twice. A request whose data stays unavailable past
// Config.GiveUpAfter fails; a request the solver cannot judge (a profile it
// does not know) is never answered and is reported instead.
package solver
