package jobstest

import (
	"fmt"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/params"
)

// gasRulesEnv picks the gas rules of the chains these tests run on: unset for go-ethereum's
// dev-chain default, "osaka" for today's mainnet pricing.
const gasRulesEnv = "OPKIT_JOBS_GAS_RULES"

// TestMain applies gasRulesEnv. The dev-chain default includes the Bogota fork (EIP-8037 state
// gas, EIP-8038 state-access repricing), which charges new storage several times what Osaka
// does. protocoltest builds every chain from params.AllDevChainProtocolChanges, so "osaka" drops
// Bogota from it before any chain starts; nothing else in this test binary reads it.
func TestMain(m *testing.M) {
	switch rules := os.Getenv(gasRulesEnv); rules {
	case "":
	case "osaka":
		params.AllDevChainProtocolChanges.BogotaTime = nil
	default:
		fmt.Fprintf(os.Stderr, "%s=%q: want empty or \"osaka\"\n", gasRulesEnv, rules)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// gasRules names the rules in force, for the gas table.
func gasRules() string {
	if params.AllDevChainProtocolChanges.BogotaTime == nil {
		return "Osaka (mainnet today)"
	}
	return "go-ethereum dev default: Bogota, EIP-8037/8038 state-gas repricing"
}
