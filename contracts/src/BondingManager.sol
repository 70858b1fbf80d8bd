// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Manager} from "./base/Manager.sol";
import {IBondingManager} from "./interfaces/IBondingManager.sol";
import {IMinter} from "./interfaces/IMinter.sol";
import {IRoundsManager} from "./interfaces/IRoundsManager.sol";

/// @title BondingManager
/// @notice Bonding, delegation, the transcoder pool, the per-round active set, rewards, fees and slashing.
///
/// Earnings use cumulative factors per transcoder (as in Livepeer's LIP-36), so a claim costs O(1)
/// whatever the number of rounds since the last one. For transcoder t in round r, with B the reward
/// factor at the start of r (1e27 initially) and S the stake frozen when r was initialized:
///   CRF_r = B * (1 + delegatorRewards_r / S)          (cumulative reward factor)
///   CFF_r = CFF_(r-1) + delegatorFees_r * B / S        (cumulative fee factor)
/// A delegator stores the factors at its last claim; a bond b claimed at factors (R0, F0) is worth
/// b * CRF / R0 stake and b * (CFF - F0) / R0 fees. Only stake that was frozen into S earns round r:
/// tokens bonded, rebonded or moved during r are held as "pending" and start earning from the end
/// of r (valued against round r's final factors). Stake unbonded, moved away or slashed during r
/// leaves S: it forfeits round r's rewards and fees still to come, which go to the stake that stays.
/// The transcoder's cut (rewardCut of rewards, 1 - feeShare of fees) never enters the factors: it
/// is credited to the transcoder directly, so no delegator's share depends on the order of claims.
contract BondingManager is Manager, IBondingManager {
    /// @notice Precision of the cumulative factors.
    uint256 internal constant PREC = 1e27;
    uint256 internal constant MAX_FUTURE_ROUND = type(uint256).max;

    enum TranscoderStatus {
        NotRegistered,
        Registered
    }

    /// @dev Values 0-2 have the live network's meaning; Unbonding (no bond, unbonding locks open) is ours.
    enum DelegatorStatus {
        Pending,
        Bonded,
        Unbonded,
        Unbonding
    }

    struct EarningsPool {
        uint256 totalStake; // transcoder's stake frozen at round initialization; non-zero iff active
        uint256 transcoderRewardCut;
        uint256 transcoderFeeShare;
        uint256 cumulativeRewardFactor; // zero until the round's factors are written
        uint256 cumulativeFeeFactor;
        uint256 startRewardFactor; // the reward factor at the start of the round
        uint256 departedStake; // frozen stake unbonded or moved away during the round, in start-of-round units
    }

    struct Transcoder {
        uint256 lastRewardRound;
        uint256 rewardCut; // ppm of rewards the transcoder keeps
        uint256 feeShare; // ppm of fees paid to delegators
        uint256 lastActiveStakeUpdateRound;
        uint256 activationRound;
        uint256 deactivationRound;
        uint256 activeCumulativeRewards; // cumulativeRewards when the stake was last frozen
        uint256 cumulativeRewards; // reward commission credited to the transcoder, lifetime
        uint256 cumulativeFees; // fee commission credited to the transcoder, lifetime
        uint256 lastFeeRound;
        uint256 lastFactorRound; // latest round whose pool holds the transcoder's factors
        mapping(uint256 => EarningsPool) earningsPoolPerRound;
    }

    struct UnbondingLock {
        uint256 amount;
        uint256 withdrawRound;
    }

    struct Delegator {
        uint256 activeAmount; // bond that earns in lastClaimRound, valued at the start factors below
        uint256 pendingAmount; // bond added in pendingRound; earns from the end of that round
        uint256 pendingRound;
        uint256 startRewardFactor; // the delegate's CRF when activeAmount was last claimed
        uint256 startFeeFactor; // the delegate's CFF when activeAmount was last claimed
        uint256 fees;
        address delegateAddress;
        uint256 delegatedAmount; // stake delegated to this address, including its own bond
        uint256 startRound;
        uint256 lastClaimRound;
        uint256 nextUnbondingLockId;
        uint256 openUnbondingLocks;
        mapping(uint256 => UnbondingLock) unbondingLocks;
    }

    struct PoolNode {
        address next;
        address prev;
        bool inPool;
    }

    uint64 public unbondingPeriod;
    uint256 public numActiveTranscoders;
    uint256 public currentRoundTotalActiveStake;

    uint256 private totalBonded;
    uint256 private poolMaxSize;
    uint256 private poolSize;
    address private poolHead;
    address private poolTail;
    mapping(address => PoolNode) private poolNodes;

    mapping(address => Delegator) private delegators;
    mapping(address => Transcoder) private transcoders;
    mapping(uint256 => address[]) private activeSet;

    event TranscoderUpdate(address indexed transcoder, uint256 rewardCut, uint256 feeShare);
    event TranscoderActivated(address indexed transcoder, uint256 activationRound);
    event TranscoderDeactivated(address indexed transcoder, uint256 deactivationRound);
    event TranscoderSlashed(address indexed transcoder, address finder, uint256 penalty, uint256 finderReward);
    event Reward(address indexed transcoder, uint256 amount);
    event Bond(
        address indexed newDelegate,
        address indexed oldDelegate,
        address indexed delegator,
        uint256 additionalAmount,
        uint256 bondedAmount
    );
    event Unbond(
        address indexed delegate,
        address indexed delegator,
        uint256 unbondingLockId,
        uint256 amount,
        uint256 withdrawRound
    );
    event Rebond(address indexed delegate, address indexed delegator, uint256 unbondingLockId, uint256 amount);
    event WithdrawStake(address indexed delegator, uint256 unbondingLockId, uint256 amount, uint256 withdrawRound);
    event WithdrawFees(address indexed delegator, address recipient, uint256 amount);
    event EarningsClaimed(
        address indexed delegate,
        address indexed delegator,
        uint256 rewards,
        uint256 fees,
        uint256 startRound,
        uint256 endRound
    );
    event ParameterUpdate(string param);

    modifier currentRoundInitialized() {
        require(_roundsManager().currentRoundInitialized(), "current round is not initialized");
        _;
    }

    constructor(address _controller, uint64 _unbondingPeriod, uint256 _numTranscoders, uint256 _numActiveTranscoders)
        Manager(_controller)
    {
        require(_numActiveTranscoders > 0 && _numActiveTranscoders <= _numTranscoders, "invalid transcoder counts");
        unbondingPeriod = _unbondingPeriod;
        poolMaxSize = _numTranscoders;
        numActiveTranscoders = _numActiveTranscoders;
    }

    // ---- parameters (Controller owner) ----

    function setUnbondingPeriod(uint64 _unbondingPeriod) external onlyControllerOwner {
        unbondingPeriod = _unbondingPeriod;
        emit ParameterUpdate("unbondingPeriod");
    }

    function setNumActiveTranscoders(uint256 _numActiveTranscoders) external onlyControllerOwner {
        require(_numActiveTranscoders > 0 && _numActiveTranscoders <= poolMaxSize, "invalid transcoder counts");
        numActiveTranscoders = _numActiveTranscoders;
        emit ParameterUpdate("numActiveTranscoders");
    }

    function setTranscoderPoolMaxSize(uint256 _size) external onlyControllerOwner {
        require(_size >= poolSize && _size >= numActiveTranscoders, "pool max size below current size");
        poolMaxSize = _size;
        emit ParameterUpdate("transcoderPoolMaxSize");
    }

    // ---- transcoders ----

    /// @notice Registers the caller as a transcoder, or updates its rates. The caller must be bonded to
    /// itself, the current round initialized and not locked. A newcomer to a full pool evicts the
    /// transcoder with the least stake only if it has more.
    function transcoder(uint256 _rewardCut, uint256 _feeShare) external whenSystemNotPaused currentRoundInitialized {
        IRoundsManager rm = _roundsManager();
        require(!rm.currentRoundLocked(), "can't update transcoder params, current round is locked");
        require(_rewardCut <= PERC_DIVISOR, "invalid rewardCut percentage");
        require(_feeShare <= PERC_DIVISOR, "invalid feeShare percentage");
        Delegator storage del = delegators[msg.sender];
        require(del.delegateAddress == msg.sender && _bonded(del) > 0, "transcoder must be bonded to self");

        Transcoder storage t = transcoders[msg.sender];
        t.rewardCut = _rewardCut;
        t.feeShare = _feeShare;
        if (!poolNodes[msg.sender].inPool) {
            _joinPool(msg.sender, del.delegatedAmount, rm.currentRound() + 1);
        }
        emit TranscoderUpdate(msg.sender, _rewardCut, _feeShare);
    }

    /// @notice Mints the caller's share of the round's mintable tokens: mintable * stake / activeTotalStake.
    /// Only an active transcoder, once per initialized round. If the reward moves the caller in the
    /// stake-sorted pool, its new place is found by walking the pool from the head.
    function reward() external whenSystemNotPaused currentRoundInitialized {
        _reward(address(0), address(0), false);
    }

    /// @notice reward() with the caller's place in the pool after the reward given: _newPosPrev is the
    /// transcoder just above it (address(0) for the head) and _newPosNext the one just below it
    /// (address(0) for the tail). Correct hints make the move O(1); wrong ones cost the walk of
    /// reward(), never correctness. The live network's BondingManager has the same function.
    function rewardWithHint(address _newPosPrev, address _newPosNext)
        external
        whenSystemNotPaused
        currentRoundInitialized
    {
        _reward(_newPosPrev, _newPosNext, true);
    }

    function _reward(address _newPosPrev, address _newPosNext, bool _hinted) internal {
        uint256 round = _roundsManager().currentRound();
        Transcoder storage t = transcoders[msg.sender];
        uint256 stake = t.earningsPoolPerRound[round].totalStake;
        require(stake > 0, "caller must be an active transcoder");
        require(t.lastRewardRound != round, "caller has already called reward for the current round");
        require(delegators[msg.sender].delegateAddress == msg.sender, "transcoder must be bonded to self");
        t.lastRewardRound = round;

        uint256 amount = IMinter(_peer(MINTER)).createReward(stake, currentRoundTotalActiveStake);
        _updateTranscoderWithRewards(msg.sender, amount, round);
        if (poolNodes[msg.sender].inPool) _repositionInPool(msg.sender, _newPosPrev, _newPosNext, _hinted);
        emit Reward(msg.sender, amount);
    }

    /// @inheritdoc IBondingManager
    function setCurrentRoundTotalActiveStake()
        external
        onlyContract(ROUNDS_MANAGER, "caller must be RoundsManager")
        whenSystemNotPaused
    {
        uint256 round = _roundsManager().currentRound();
        uint256 total = 0;
        address[] storage set = activeSet[round];
        address cur = poolHead;
        for (uint256 i = 0; i < numActiveTranscoders && cur != address(0); i++) {
            uint256 stake = delegators[cur].delegatedAmount;
            Transcoder storage t = transcoders[cur];
            t.earningsPoolPerRound[round].totalStake = stake;
            t.lastActiveStakeUpdateRound = round;
            t.activeCumulativeRewards = t.cumulativeRewards;
            set.push(cur);
            total += stake;
            cur = poolNodes[cur].next;
        }
        currentRoundTotalActiveStake = total;
    }

    /// @inheritdoc IBondingManager
    function updateTranscoderWithFees(address _transcoder, uint256 _fees, uint256 _round)
        external
        onlyContract(JOBS_MANAGER, "caller must be JobsManager")
        whenSystemNotPaused
    {
        uint256 round = _roundsManager().currentRound();
        require(_round <= round, "fees for a future round");
        Transcoder storage t = transcoders[_transcoder];
        EarningsPool storage p = _touchPool(t, round);
        // Fees go to the stake backing the transcoder now: frozen stake that stayed while active, else
        // its delegated stake.
        uint256 feeStake = p.totalStake > 0 ? _eligibleStake(p) : delegators[_transcoder].delegatedAmount;
        uint256 delegatorFees = feeStake == 0 ? 0 : Math.mulDiv(_fees, t.feeShare, PERC_DIVISOR);
        uint256 transcoderFees = _fees - delegatorFees;
        if (delegatorFees > 0) {
            p.cumulativeFeeFactor += Math.mulDiv(delegatorFees, p.startRewardFactor, feeStake);
        }
        p.transcoderFeeShare = t.feeShare;
        delegators[_transcoder].fees += transcoderFees;
        t.cumulativeFees += transcoderFees;
        t.lastFeeRound = round;
    }

    /// @inheritdoc IBondingManager
    function slashTranscoder(address _transcoder, address _finder, uint256 _slashAmount, uint256 _finderFee)
        external
        onlyContract(JOBS_MANAGER, "caller must be JobsManager")
        whenSystemNotPaused
    {
        require(_slashAmount <= PERC_DIVISOR && _finderFee <= PERC_DIVISOR, "invalid slash percentage");
        Delegator storage del = delegators[_transcoder];
        if (_bonded(del) == 0) return;
        _claimEarnings(_transcoder);

        uint256 penalty = Math.mulDiv(_bonded(del), _slashAmount, PERC_DIVISOR);
        _removeBond(del, penalty);
        _decreaseDelegated(del.delegateAddress, penalty);
        totalBonded -= penalty;
        if (_bonded(del) == 0) {
            del.delegateAddress = address(0);
            del.startRound = 0;
        }
        if (poolNodes[_transcoder].inPool) _resign(_transcoder);

        uint256 finderReward = _finder == address(0) ? 0 : Math.mulDiv(penalty, _finderFee, PERC_DIVISOR);
        IMinter minter = IMinter(_peer(MINTER));
        if (finderReward > 0) minter.trustedTransferTokens(_finder, finderReward);
        if (penalty > finderReward) minter.trustedBurnTokens(penalty - finderReward);
        emit TranscoderSlashed(_transcoder, _finder, penalty, finderReward);
    }

    // ---- delegators ----

    /// @notice Bonds _amount more tokens (approved to this contract) and delegates all of the caller's
    /// bond to _to. Moving the bond to a new delegate makes it Pending until the next round.
    function bond(uint256 _amount, address _to) external whenSystemNotPaused currentRoundInitialized {
        require(_to != address(0), "delegate is zero");
        uint256 round = _roundsManager().currentRound();
        Delegator storage del = delegators[msg.sender];
        _claimEarnings(msg.sender);

        address oldDelegate = del.delegateAddress;
        uint256 bonded = _bonded(del);
        uint256 delegationAmount = _amount;
        if (bonded == 0) {
            require(_amount > 0, "bond amount is zero");
            del.startRound = round + 1;
        } else if (oldDelegate != _to) {
            require(!poolNodes[msg.sender].inPool, "registered transcoders can't delegate towards other addresses");
            del.startRound = round + 1;
            delegationAmount += bonded;
            _decreaseDelegated(oldDelegate, bonded);
            _depart(del, del.activeAmount);
            // The whole bond starts over at the new delegate: pending until this round ends.
            del.activeAmount = 0;
            del.pendingAmount = 0;
        } else {
            require(_amount > 0, "bond amount is zero");
        }

        del.delegateAddress = _to;
        _addPending(del, delegationAmount, round);
        _increaseDelegated(_to, delegationAmount);
        totalBonded += _amount;

        if (_amount > 0) {
            require(IERC20(_peer(LIVEPEER_TOKEN)).transferFrom(msg.sender, _peer(MINTER), _amount), "transfer failed");
        }
        emit Bond(_to, oldDelegate, msg.sender, _amount, _bonded(del));
    }

    /// @notice Moves _amount of the caller's bond into a new unbonding lock, withdrawable after
    /// unbondingPeriod rounds. Unbonding everything of a registered transcoder resigns it.
    function unbond(uint256 _amount) external whenSystemNotPaused currentRoundInitialized {
        require(delegatorStatus(msg.sender) == DelegatorStatus.Bonded, "caller must be bonded");
        require(_amount > 0, "unbond amount must be greater than 0");
        _claimEarnings(msg.sender);
        Delegator storage del = delegators[msg.sender];
        require(_amount <= _bonded(del), "amount is greater than bonded amount");

        uint256 round = _roundsManager().currentRound();
        address delegate = del.delegateAddress;
        uint256 lockId = del.nextUnbondingLockId++;
        uint256 withdrawRound = round + unbondingPeriod;
        del.unbondingLocks[lockId] = UnbondingLock(_amount, withdrawRound);
        del.openUnbondingLocks++;

        _removeBond(del, _amount);
        _decreaseDelegated(delegate, _amount);
        totalBonded -= _amount;
        if (_bonded(del) == 0) {
            del.delegateAddress = address(0);
            del.startRound = 0;
            if (poolNodes[msg.sender].inPool) _resign(msg.sender);
        }
        emit Unbond(delegate, msg.sender, lockId, _amount, withdrawRound);
    }

    /// @notice Cancels an unbonding lock and bonds its tokens again to the caller's current delegate.
    function rebond(uint256 _unbondingLockId) external whenSystemNotPaused currentRoundInitialized {
        require(_bonded(delegators[msg.sender]) > 0, "caller must be bonded");
        _claimEarnings(msg.sender);
        _processRebond(msg.sender, _unbondingLockId);
    }

    /// @notice Cancels an unbonding lock of an unbonded caller and bonds its tokens to _to.
    function rebondFromUnbonded(address _to, uint256 _unbondingLockId)
        external
        whenSystemNotPaused
        currentRoundInitialized
    {
        require(_to != address(0), "delegate is zero");
        Delegator storage del = delegators[msg.sender];
        require(_bonded(del) == 0, "caller must be unbonded");
        _claimEarnings(msg.sender);
        del.startRound = _roundsManager().currentRound() + 1;
        del.delegateAddress = _to;
        _processRebond(msg.sender, _unbondingLockId);
    }

    /// @notice Withdraws the tokens of an unbonding lock whose withdraw round has come.
    function withdrawStake(uint256 _unbondingLockId) external whenSystemNotPaused currentRoundInitialized {
        Delegator storage del = delegators[msg.sender];
        UnbondingLock storage lock = del.unbondingLocks[_unbondingLockId];
        uint256 amount = lock.amount;
        uint256 withdrawRound = lock.withdrawRound;
        require(amount > 0, "invalid unbonding lock ID");
        require(
            withdrawRound <= _roundsManager().currentRound(),
            "withdraw round must be before or equal to the current round"
        );
        delete del.unbondingLocks[_unbondingLockId];
        del.openUnbondingLocks--;
        IMinter(_peer(MINTER)).trustedTransferTokens(msg.sender, amount);
        emit WithdrawStake(msg.sender, _unbondingLockId, amount, withdrawRound);
    }

    /// @notice Withdraws _amount of the caller's earned fees (wei) to _recipient.
    function withdrawFees(address payable _recipient, uint256 _amount)
        external
        whenSystemNotPaused
        currentRoundInitialized
    {
        _claimEarnings(msg.sender);
        Delegator storage del = delegators[msg.sender];
        require(_amount <= del.fees, "insufficient fees to withdraw");
        del.fees -= _amount;
        IMinter(_peer(MINTER)).trustedWithdrawETH(_recipient, _amount);
        emit WithdrawFees(msg.sender, _recipient, _amount);
    }

    /// @notice Claims rewards and fees through the current round. _endRound is kept for ABI
    /// compatibility with the live network, which also always claims through the current round.
    function claimEarnings(uint256 _endRound) external whenSystemNotPaused currentRoundInitialized {
        _endRound;
        _claimEarnings(msg.sender);
    }

    // ---- views ----

    function getTotalBonded() external view returns (uint256) {
        return totalBonded;
    }

    function transcoderTotalStake(address _transcoder) external view returns (uint256) {
        return delegators[_transcoder].delegatedAmount;
    }

    function isRegisteredTranscoder(address _transcoder) public view returns (bool) {
        return poolNodes[_transcoder].inPool;
    }

    function isActiveTranscoder(address _transcoder) public view returns (bool) {
        uint256 round = _roundsManager().currentRound();
        return transcoders[_transcoder].earningsPoolPerRound[round].totalStake > 0;
    }

    function transcoderStatus(address _transcoder) external view returns (TranscoderStatus) {
        return poolNodes[_transcoder].inPool ? TranscoderStatus.Registered : TranscoderStatus.NotRegistered;
    }

    function delegatorStatus(address _delegator) public view returns (DelegatorStatus) {
        Delegator storage del = delegators[_delegator];
        if (_bonded(del) == 0) {
            return del.openUnbondingLocks > 0 ? DelegatorStatus.Unbonding : DelegatorStatus.Unbonded;
        }
        if (del.startRound > _roundsManager().currentRound()) return DelegatorStatus.Pending;
        return DelegatorStatus.Bonded;
    }

    /// @notice The delegator's bond including unclaimed rewards through the current round.
    function pendingStake(address _delegator, uint256 _endRound) external view returns (uint256) {
        _endRound;
        (uint256 active, uint256 pending, uint256 fees) = _earnings(delegators[_delegator]);
        fees;
        return active + pending;
    }

    /// @notice The delegator's fees including unclaimed fees through the current round.
    function pendingFees(address _delegator, uint256 _endRound) external view returns (uint256) {
        _endRound;
        (,, uint256 fees) = _earnings(delegators[_delegator]);
        return fees;
    }

    function getTranscoder(address _transcoder)
        external
        view
        returns (
            uint256 lastRewardRound,
            uint256 rewardCut,
            uint256 feeShare,
            uint256 lastActiveStakeUpdateRound,
            uint256 activationRound,
            uint256 deactivationRound,
            uint256 activeCumulativeRewards,
            uint256 cumulativeRewards,
            uint256 cumulativeFees,
            uint256 lastFeeRound
        )
    {
        Transcoder storage t = transcoders[_transcoder];
        return (
            t.lastRewardRound,
            t.rewardCut,
            t.feeShare,
            t.lastActiveStakeUpdateRound,
            t.activationRound,
            t.deactivationRound,
            t.activeCumulativeRewards,
            t.cumulativeRewards,
            t.cumulativeFees,
            t.lastFeeRound
        );
    }

    function getTranscoderEarningsPoolForRound(address _transcoder, uint256 _round)
        external
        view
        returns (
            uint256 totalStake,
            uint256 transcoderRewardCut,
            uint256 transcoderFeeShare,
            uint256 cumulativeRewardFactor,
            uint256 cumulativeFeeFactor
        )
    {
        EarningsPool storage p = transcoders[_transcoder].earningsPoolPerRound[_round];
        return (
            p.totalStake, p.transcoderRewardCut, p.transcoderFeeShare, p.cumulativeRewardFactor, p.cumulativeFeeFactor
        );
    }

    function getDelegator(address _delegator)
        external
        view
        returns (
            uint256 bondedAmount,
            uint256 fees,
            address delegateAddress,
            uint256 delegatedAmount,
            uint256 startRound,
            uint256 lastClaimRound,
            uint256 nextUnbondingLockId
        )
    {
        Delegator storage del = delegators[_delegator];
        return (
            _bonded(del),
            del.fees,
            del.delegateAddress,
            del.delegatedAmount,
            del.startRound,
            del.lastClaimRound,
            del.nextUnbondingLockId
        );
    }

    function getDelegatorUnbondingLock(address _delegator, uint256 _unbondingLockId)
        external
        view
        returns (uint256 amount, uint256 withdrawRound)
    {
        UnbondingLock storage lock = delegators[_delegator].unbondingLocks[_unbondingLockId];
        return (lock.amount, lock.withdrawRound);
    }

    /// @inheritdoc IBondingManager
    function getActiveTranscoders(uint256 _round)
        external
        view
        returns (address[] memory transcoders_, uint256[] memory stakes)
    {
        address[] storage set = activeSet[_round];
        transcoders_ = new address[](set.length);
        stakes = new uint256[](set.length);
        for (uint256 i = 0; i < set.length; i++) {
            transcoders_[i] = set[i];
            stakes[i] = transcoders[set[i]].earningsPoolPerRound[_round].totalStake;
        }
    }

    function getFirstTranscoderInPool() external view returns (address) {
        return poolHead;
    }

    function getNextTranscoderInPool(address _transcoder) external view returns (address) {
        return poolNodes[_transcoder].next;
    }

    function getTranscoderPoolSize() external view returns (uint256) {
        return poolSize;
    }

    function getTranscoderPoolMaxSize() external view returns (uint256) {
        return poolMaxSize;
    }

    // ---- internals ----

    function _roundsManager() internal view returns (IRoundsManager) {
        return IRoundsManager(_peer(ROUNDS_MANAGER));
    }

    /// @dev Makes _round's pool hold the transcoder's latest factors; returns it.
    function _touchPool(Transcoder storage t, uint256 _round) internal returns (EarningsPool storage p) {
        p = t.earningsPoolPerRound[_round];
        if (p.cumulativeRewardFactor == 0) {
            EarningsPool storage latest = t.earningsPoolPerRound[t.lastFactorRound];
            uint256 crf = latest.cumulativeRewardFactor == 0 ? PREC : latest.cumulativeRewardFactor;
            p.cumulativeRewardFactor = crf;
            p.startRewardFactor = crf;
            p.cumulativeFeeFactor = latest.cumulativeFeeFactor;
        }
        t.lastFactorRound = _round;
    }

    function _updateTranscoderWithRewards(address _transcoder, uint256 _rewards, uint256 _round) internal {
        Transcoder storage t = transcoders[_transcoder];
        EarningsPool storage p = _touchPool(t, _round);
        uint256 commission = Math.mulDiv(_rewards, t.rewardCut, PERC_DIVISOR);
        uint256 eligible = _eligibleStake(p);
        if (eligible == 0) commission = _rewards; // every delegator left during the round
        uint256 delegatorRewards = _rewards - commission;
        p.transcoderRewardCut = t.rewardCut;
        if (delegatorRewards > 0) {
            p.cumulativeRewardFactor += Math.mulDiv(p.startRewardFactor, delegatorRewards, eligible);
        }
        t.cumulativeRewards += commission;

        totalBonded += _rewards;
        delegators[_transcoder].delegatedAmount += _rewards; // repositioned by the caller
        // The transcoder claims through this reward, then takes its commission, which was not part
        // of this round's frozen stake: it is pending and earns from the next round on.
        _claimEarnings(_transcoder);
        _addPending(delegators[_transcoder], commission, _round);
    }

    function _bonded(Delegator storage del) internal view returns (uint256) {
        return del.activeAmount + del.pendingAmount;
    }

    /// @dev The delegator's bond and fees claimed through the delegate's latest factors: the active
    /// bond and a pending bond from an earlier round grow into `active`; a pending bond of the
    /// current round stays `pending`.
    function _earnings(Delegator storage del) internal view returns (uint256 active, uint256 pending, uint256 fees) {
        active = del.activeAmount;
        pending = del.pendingAmount;
        fees = del.fees;
        if (del.delegateAddress == address(0)) return (active, pending, fees);
        Transcoder storage t = transcoders[del.delegateAddress];
        EarningsPool storage latest = t.earningsPoolPerRound[t.lastFactorRound];
        if (active > 0) {
            fees += Math.mulDiv(active, latest.cumulativeFeeFactor - del.startFeeFactor, del.startRewardFactor);
            active = Math.mulDiv(active, latest.cumulativeRewardFactor, del.startRewardFactor);
        }
        if (pending > 0 && del.pendingRound < _roundsManager().currentRound()) {
            EarningsPool storage from = t.earningsPoolPerRound[del.pendingRound];
            fees += Math.mulDiv(pending, latest.cumulativeFeeFactor - from.cumulativeFeeFactor, from.cumulativeRewardFactor);
            active += Math.mulDiv(pending, latest.cumulativeRewardFactor, from.cumulativeRewardFactor);
            pending = 0;
        }
    }

    /// @dev Claims the delegator's rewards and fees through the delegate's latest factors.
    function _claimEarnings(address _delegator) internal {
        Delegator storage del = delegators[_delegator];
        uint256 round = _roundsManager().currentRound();
        uint256 lastClaimRound = del.lastClaimRound;
        del.lastClaimRound = round;
        if (del.delegateAddress == address(0)) return;
        uint256 before = _bonded(del);
        uint256 feesBefore = del.fees;
        (uint256 active, uint256 pending, uint256 fees) = _earnings(del);
        Transcoder storage t = transcoders[del.delegateAddress];
        EarningsPool storage latest = t.earningsPoolPerRound[t.lastFactorRound];
        del.activeAmount = active;
        del.pendingAmount = pending;
        del.fees = fees;
        del.startRewardFactor = latest.cumulativeRewardFactor;
        del.startFeeFactor = latest.cumulativeFeeFactor;
        if (active + pending != before || fees != feesBefore) {
            emit EarningsClaimed(
                del.delegateAddress,
                _delegator,
                active + pending - before,
                fees - feesBefore,
                Math.min(lastClaimRound + 1, round),
                round
            );
        }
    }

    /// @dev Adds _amount to the bond as pending in _round; the delegator must have claimed in _round.
    function _addPending(Delegator storage del, uint256 _amount, uint256 _round) internal {
        Transcoder storage t = transcoders[del.delegateAddress];
        _touchPool(t, _round);
        if (del.activeAmount == 0) {
            EarningsPool storage latest = t.earningsPoolPerRound[_round];
            del.startRewardFactor = latest.cumulativeRewardFactor;
            del.startFeeFactor = latest.cumulativeFeeFactor;
        }
        del.pendingAmount += _amount;
        del.pendingRound = _round;
    }

    /// @dev Takes _amount off the bond of a delegator that claimed this round, pending part first
    /// (it has not earned yet); the active part leaves the delegate's frozen stake.
    function _removeBond(Delegator storage del, uint256 _amount) internal {
        uint256 fromPending = Math.min(_amount, del.pendingAmount);
        del.pendingAmount -= fromPending;
        _depart(del, _amount - fromPending);
        del.activeAmount -= _amount - fromPending;
    }

    /// @dev Records that _active of the delegator's active bond left its delegate's frozen stake.
    function _depart(Delegator storage del, uint256 _active) internal {
        if (_active == 0) return;
        uint256 round = _roundsManager().currentRound();
        EarningsPool storage p = _touchPool(transcoders[del.delegateAddress], round);
        if (p.totalStake == 0) return;
        // In start-of-round units: the delegator's factors are the delegate's latest after its claim.
        p.departedStake += Math.mulDiv(_active, p.startRewardFactor, del.startRewardFactor);
    }

    /// @dev The frozen stake that is still bonded to the transcoder.
    function _eligibleStake(EarningsPool storage p) internal view returns (uint256) {
        return p.totalStake > p.departedStake ? p.totalStake - p.departedStake : 0;
    }

    function _processRebond(address _delegator, uint256 _unbondingLockId) internal {
        Delegator storage del = delegators[_delegator];
        UnbondingLock storage lock = del.unbondingLocks[_unbondingLockId];
        uint256 amount = lock.amount;
        require(amount > 0, "invalid unbonding lock ID");
        delete del.unbondingLocks[_unbondingLockId];
        del.openUnbondingLocks--;
        _addPending(del, amount, _roundsManager().currentRound());
        totalBonded += amount;
        _increaseDelegated(del.delegateAddress, amount);
        emit Rebond(del.delegateAddress, _delegator, _unbondingLockId, amount);
    }

    function _increaseDelegated(address _delegate, uint256 _amount) internal {
        delegators[_delegate].delegatedAmount += _amount;
        if (poolNodes[_delegate].inPool) _repositionInPool(_delegate, address(0), address(0), false);
    }

    function _decreaseDelegated(address _delegate, uint256 _amount) internal {
        delegators[_delegate].delegatedAmount -= _amount;
        if (poolNodes[_delegate].inPool) _repositionInPool(_delegate, address(0), address(0), false);
    }

    function _joinPool(address _transcoder, uint256 _stake, uint256 _activationRound) internal {
        if (poolSize >= poolMaxSize) {
            address tail = poolTail;
            require(
                _stake > delegators[tail].delegatedAmount, "transcoder pool is full and caller's stake is not above the last"
            );
            _resign(tail);
        }
        _poolInsert(_transcoder, _stake);
        Transcoder storage t = transcoders[_transcoder];
        t.activationRound = _activationRound;
        t.deactivationRound = MAX_FUTURE_ROUND;
        emit TranscoderActivated(_transcoder, _activationRound);
    }

    /// @dev Removes the transcoder from the pool; it stays active until the end of the round.
    function _resign(address _transcoder) internal {
        _poolRemove(_transcoder);
        uint256 deactivationRound = _roundsManager().currentRound() + 1;
        transcoders[_transcoder].deactivationRound = deactivationRound;
        emit TranscoderDeactivated(_transcoder, deactivationRound);
    }

    /// @dev Moves the transcoder to its place by stake: between the hinted neighbours when they are
    /// right, else wherever the walk from the head finds.
    function _repositionInPool(address _transcoder, address _prev, address _next, bool _hinted) internal {
        PoolNode storage n = poolNodes[_transcoder];
        uint256 stake = delegators[_transcoder].delegatedAmount;
        // Still sorted (non-increasing)? Then nothing moves.
        if (
            (n.prev == address(0) || delegators[n.prev].delegatedAmount >= stake)
                && (n.next == address(0) || delegators[n.next].delegatedAmount <= stake)
        ) return;
        _poolRemove(_transcoder);
        if (_hinted && _validHint(_transcoder, stake, _prev, _next)) _poolLink(_transcoder, _prev, _next);
        else _poolInsert(_transcoder, stake);
    }

    /// @dev Whether _transcoder, with _stake, belongs between _prev and _next (already out of the pool).
    function _validHint(address _transcoder, uint256 _stake, address _prev, address _next)
        internal
        view
        returns (bool)
    {
        if (_prev == _transcoder || _next == _transcoder) return false;
        if (_prev == address(0) ? poolHead != _next : (!poolNodes[_prev].inPool || poolNodes[_prev].next != _next)) {
            return false;
        }
        if (_next == address(0) ? poolTail != _prev : !poolNodes[_next].inPool) return false;
        return (_prev == address(0) || delegators[_prev].delegatedAmount >= _stake)
            && (_next == address(0) || delegators[_next].delegatedAmount < _stake);
    }

    /// @dev Inserts after every node with at least _stake (the pool is sorted by stake, descending).
    function _poolInsert(address _transcoder, uint256 _stake) internal {
        address prev = address(0);
        address cur = poolHead;
        while (cur != address(0) && delegators[cur].delegatedAmount >= _stake) {
            prev = cur;
            cur = poolNodes[cur].next;
        }
        _poolLink(_transcoder, prev, cur);
    }

    /// @dev Links _transcoder in between prev and cur, neighbours in the pool.
    function _poolLink(address _transcoder, address prev, address cur) internal {
        poolNodes[_transcoder] = PoolNode(cur, prev, true);
        if (prev == address(0)) poolHead = _transcoder;
        else poolNodes[prev].next = _transcoder;
        if (cur == address(0)) poolTail = _transcoder;
        else poolNodes[cur].prev = _transcoder;
        poolSize++;
    }

    function _poolRemove(address _transcoder) internal {
        PoolNode storage n = poolNodes[_transcoder];
        address prev = n.prev;
        address next = n.next;
        if (prev == address(0)) poolHead = next;
        else poolNodes[prev].next = next;
        if (next == address(0)) poolTail = prev;
        else poolNodes[next].prev = prev;
        delete poolNodes[_transcoder];
        poolSize--;
    }
}
