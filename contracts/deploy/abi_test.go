package deploy_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"

	"github.com/opkit-dev/opkit/contracts/bindings"
)

// liveInterface is DESIGN.md's "Chain interface": every function and event opkit shares with
// the live Livepeer network, with the live types, argument order, return layout and indexed
// flags. Functions are "name(inputs)(outputs)", with output names for multi-value returns;
// events are "Name(type [indexed] name,...)": clients decode event fields by name.
var liveInterface = map[string]struct {
	meta      *parsedABI
	functions []string
	events    []string
}{
	"Controller": {
		meta: metaOf(bindings.ControllerMetaData.GetAbi),
		functions: []string{
			"getContract(bytes32)(address)",
			"paused()(bool)",
			"owner()(address)",
		},
	},
	"RoundsManager": {
		meta: metaOf(bindings.RoundsManagerMetaData.GetAbi),
		functions: []string{
			"currentRound()(uint256)",
			"currentRoundInitialized()(bool)",
			"currentRoundLocked()(bool)",
			"currentRoundStartBlock()(uint256)",
			"lastInitializedRound()(uint256)",
			"roundLength()(uint256)",
			"roundLockAmount()(uint256)",
			"blockHashForRound(uint256)(bytes32)",
			"initializeRound()()",
		},
		events: []string{"NewRound(uint256 indexed round,bytes32 blockHash)"},
	},
	"BondingManager": {
		meta: metaOf(bindings.BondingManagerMetaData.GetAbi),
		functions: []string{
			"bond(uint256,address)()",
			"unbond(uint256)()",
			"rebond(uint256)()",
			"rebondFromUnbonded(address,uint256)()",
			"withdrawStake(uint256)()",
			"withdrawFees(address,uint256)()",
			"claimEarnings(uint256)()",
			"transcoder(uint256,uint256)()",
			"reward()()",
			"isActiveTranscoder(address)(bool)",
			"isRegisteredTranscoder(address)(bool)",
			"transcoderStatus(address)(uint8)",
			"delegatorStatus(address)(uint8)",
			"transcoderTotalStake(address)(uint256)",
			"getTotalBonded()(uint256)",
			"currentRoundTotalActiveStake()(uint256)",
			"pendingStake(address,uint256)(uint256)",
			"pendingFees(address,uint256)(uint256)",
			"getTranscoder(address)(uint256 lastRewardRound,uint256 rewardCut,uint256 feeShare," +
				"uint256 lastActiveStakeUpdateRound,uint256 activationRound,uint256 deactivationRound," +
				"uint256 activeCumulativeRewards,uint256 cumulativeRewards,uint256 cumulativeFees,uint256 lastFeeRound)",
			"getDelegator(address)(uint256 bondedAmount,uint256 fees,address delegateAddress," +
				"uint256 delegatedAmount,uint256 startRound,uint256 lastClaimRound,uint256 nextUnbondingLockId)",
			"getDelegatorUnbondingLock(address,uint256)(uint256 amount,uint256 withdrawRound)",
			"getTranscoderEarningsPoolForRound(address,uint256)(uint256 totalStake,uint256 transcoderRewardCut," +
				"uint256 transcoderFeeShare,uint256 cumulativeRewardFactor,uint256 cumulativeFeeFactor)",
			"getFirstTranscoderInPool()(address)",
			"getNextTranscoderInPool(address)(address)",
			"getTranscoderPoolSize()(uint256)",
			"getTranscoderPoolMaxSize()(uint256)",
		},
		events: []string{
			"Bond(address indexed newDelegate,address indexed oldDelegate,address indexed delegator," +
				"uint256 additionalAmount,uint256 bondedAmount)",
			"Unbond(address indexed delegate,address indexed delegator,uint256 unbondingLockId,uint256 amount," +
				"uint256 withdrawRound)",
			"Rebond(address indexed delegate,address indexed delegator,uint256 unbondingLockId,uint256 amount)",
			"WithdrawStake(address indexed delegator,uint256 unbondingLockId,uint256 amount,uint256 withdrawRound)",
			"WithdrawFees(address indexed delegator,address recipient,uint256 amount)",
			"Reward(address indexed transcoder,uint256 amount)",
			"TranscoderUpdate(address indexed transcoder,uint256 rewardCut,uint256 feeShare)",
			"TranscoderActivated(address indexed transcoder,uint256 activationRound)",
			"TranscoderDeactivated(address indexed transcoder,uint256 deactivationRound)",
			"TranscoderSlashed(address indexed transcoder,address finder,uint256 penalty,uint256 finderReward)",
			"EarningsClaimed(address indexed delegate,address indexed delegator,uint256 rewards,uint256 fees," +
				"uint256 startRound,uint256 endRound)",
		},
	},
	"Minter": {
		meta: metaOf(bindings.MinterMetaData.GetAbi),
		functions: []string{
			"currentMintableTokens()(uint256)",
			"currentMintedTokens()(uint256)",
			"inflation()(uint256)",
			"inflationChange()(uint256)",
			"targetBondingRate()(uint256)",
		},
		events: []string{"SetCurrentRewardTokens(uint256 currentMintableTokens,uint256 currentInflation)"},
	},
}

type parsedABI struct {
	abi *abi.ABI
	err error
}

func metaOf(get func() (*abi.ABI, error)) *parsedABI {
	a, err := get()
	return &parsedABI{a, err}
}

func args(as abi.Arguments, named bool) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = a.Type.String()
		if a.Indexed {
			parts[i] += " indexed"
		}
		if named && a.Name != "" {
			parts[i] += " " + a.Name
		}
	}
	return strings.Join(parts, ",")
}

// namedOutputs: the live network's multi-value getters return named fields that clients read
// by name (go-livepeer's bindings turn them into struct fields), so their names are compared too.
func namedOutputs(m abi.Method) bool { return len(m.Outputs) > 1 }

// TestLiveChainInterface compares the compiled ABIs with DESIGN.md's list of the live network's
// functions and events.
func TestLiveChainInterface(t *testing.T) {
	names := make([]string, 0, len(liveInterface))
	for n := range liveInterface {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, contract := range names {
		want := liveInterface[contract]
		t.Run(contract, func(t *testing.T) {
			if want.meta.err != nil {
				t.Fatalf("parse ABI: %v", want.meta.err)
			}
			a := want.meta.abi
			for _, sig := range want.functions {
				name := sig[:strings.Index(sig, "(")]
				m, ok := a.Methods[name]
				if !ok {
					t.Errorf("function %s is missing", name)
					continue
				}
				got := fmt.Sprintf("%s(%s)(%s)", m.RawName, args(m.Inputs, false), args(m.Outputs, namedOutputs(m)))
				if got != sig {
					t.Errorf("function %s:\n got  %s\n want %s", name, got, sig)
				}
			}
			for _, sig := range want.events {
				name := sig[:strings.Index(sig, "(")]
				e, ok := a.Events[name]
				if !ok {
					t.Errorf("event %s is missing", name)
					continue
				}
				if got := fmt.Sprintf("%s(%s)", e.RawName, args(e.Inputs, true)); got != sig {
					t.Errorf("event %s:\n got  %s\n want %s", name, got, sig)
				}
			}
		})
	}
}
