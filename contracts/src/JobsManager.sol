// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Constructor (all percentages in ppm, periods in blocks):
//   constructor(
//       address _controller,
//       uint256 _verificationRate,              // a segment is challenged with probability 1/_verificationRate
//       uint256 _verificationPeriod,            // blocks after claimWork in which verify() is accepted
//       uint256 _verificationSlashingPeriod,    // blocks after that in which missed verifications are slashed
//       uint256 _failedVerificationSlashAmount, // ppm of the transcoder's self-bond
//       uint256 _missedVerificationSlashAmount, // ppm
//       uint256 _doubleClaimSegmentSlashAmount, // ppm
//       uint256 _finderFee                      // ppm of a slashed amount paid to whoever proved the fault
//   )
// Register the contract in the Controller as keccak256("JobsManager").

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Manager} from "./base/Manager.sol";
import {IBondingManager} from "./interfaces/IBondingManager.sol";
import {IMinter} from "./interfaces/IMinter.sol";
import {IRoundsManager} from "./interfaces/IRoundsManager.sol";
import {IJobsManager} from "./interfaces/IJobsManager.sol";
import {IVerifier} from "./interfaces/IVerifier.sol";

/// @title JobsManager
/// @notice Transcoding jobs and claims of work, paid in ETH.
///
/// Flow: a broadcaster deposit()s ETH (held by the Minter) and creates a job(); the JobsManager
/// elects a transcoder by stake among the round's active transcoders whose price fits. The
/// transcoder keeps one receipt per segment and claimWork()s ranges of segments with the Merkle
/// root of their receipts; the claim's fees move from the broadcaster's deposit to escrow. The
/// hash of the block after the claim challenges a pseudo-random subset of segments, which the
/// transcoder must verify() before endVerificationBlock. The Verifier's solvers answer pass or
/// fail. After endSlashingBlock, distributeFees() credits the escrow to the transcoder's fee pool
/// for the job's creation round in the BondingManager.
///
/// Hashes (abi.encodePacked, uint256 as 32 big-endian bytes):
///   segmentHash        = keccak256(streamId, segmentNumber, dataHash)
///   receiptHash        = keccak256(streamId, segmentNumber, dataHash, transcodedDataHash, broadcasterSig)
///   transcodedDataHash = keccak256(concatenation of the per-rendition output hashes, in profile order)
/// broadcasterSig is a 65-byte r||s||v (v 27 or 28) ECDSA signature by the broadcaster over the
/// EIP-191 personal-sign digest of segmentHash: keccak256("\x19Ethereum Signed Message:\n32" ||
/// segmentHash). The claim root is the root of a Merkle tree over receiptHashes (the leaves are the
/// receiptHashes themselves) with sorted-pair keccak256, as OpenZeppelin's MerkleProof verifies.
/// A leaf is always recomputed here from its fields, so an inner node cannot pose as a leaf.
///
/// Challenge rule: segment s of a claim made in block claimBlock is challenged iff
///   uint256(keccak256(abi.encodePacked(claimBlock + 1, blockhash(claimBlock + 1), s))) % verificationRate == 0.
/// The seed exists once block claimBlock + 1 is mined, and the EVM keeps it for 256 blocks, so
/// verificationPeriod + verificationSlashingPeriod is capped at 255.
///
/// Transcoding options: the concatenation of 8-character profile ids, as in Livepeer: each id is
/// the lowercase hex of the first 4 bytes of keccak256(profile name). The number of profiles is
/// bytes(transcodingOptions).length / 8, and a claim costs segments * profiles * pricePerSegment.
///
/// Election: seed = uint256(keccak256(abi.encodePacked(blockhash(block.number - 1), jobId))), the
/// hash of the job's creation block's parent (the newest hash the EVM exposes) mixed with the job id
/// so that jobs created in the same block are elected independently. The candidates are the active
/// set frozen for the current round, in BondingManager order, that have announced a non-zero price
/// <= maxPricePerSegment. The winner is the candidate whose cumulative-stake interval contains
/// seed % (their total stake). The job's price is the winner's price at creation.
///
/// Slashing: missed verification and double claim need the claim still Pending (not slashed, not
/// distributed), so each claim pays for them at most once, and the finder gets finderFee ppm of the
/// penalty. Every failed verification slashes the transcoder (no finder), whatever the claim's state.
/// Refund rule: the escrow of a claim goes back to the broadcaster's deposit when the claim is first
/// slashed; fees already distributed are never clawed back. A verification still unanswered at
/// endSlashingBlock does not hold distributeFees back.
contract JobsManager is Manager, IJobsManager {
    /// @notice Length in bytes of one profile id inside transcodingOptions.
    uint256 public constant PROFILE_ID_LENGTH = 8;
    /// @notice How many blocks the EVM keeps block hashes for, minus the seed block itself.
    uint256 public constant MAX_CHALLENGE_WINDOW = 255;

    enum ClaimStatus {
        Pending,
        Slashed,
        Complete
    }

    enum SegmentStatus {
        None,
        Submitted,
        Passed,
        Failed
    }

    enum SlashReason {
        MissedVerification,
        DoubleClaimSegment,
        FailedVerification
    }

    /// @dev Packed into 7 storage slots.
    struct Job {
        string streamId;
        string transcodingOptions;
        address broadcaster;
        uint64 creationBlock;
        address transcoder;
        uint64 endBlock;
        uint256 maxPricePerSegment;
        uint128 pricePerSegment; // the elected transcoder's price when the job was created
        uint128 escrow; // fees of this job's Pending claims
        uint64 creationRound;
        uint64 profiles;
        uint64 numClaims;
    }

    /// @dev Packed into 3 storage slots.
    struct Claim {
        bytes32 claimRoot;
        uint64 segmentStart; // inclusive
        uint64 segmentEnd; // inclusive
        uint64 claimBlock;
        uint64 endVerificationBlock; // verify() only before this block
        uint64 endSlashingBlock; // missed-verification and double-claim slashes only before this block
        uint128 fees;
        ClaimStatus status;
    }

    struct Broadcaster {
        uint256 deposit;
        uint256 withdrawBlock; // the latest endBlock of the broadcaster's jobs
    }

    uint256 public verificationRate;
    uint256 public verificationPeriod;
    uint256 public verificationSlashingPeriod;
    uint256 public failedVerificationSlashAmount;
    uint256 public missedVerificationSlashAmount;
    uint256 public doubleClaimSegmentSlashAmount;
    uint256 public finderFee;

    mapping(address => Broadcaster) public broadcasters;
    mapping(address => uint256) public transcoderPricePerSegment;

    Job[] private jobs;
    mapping(uint256 => mapping(uint256 => Claim)) private claims;
    mapping(uint256 => mapping(uint256 => mapping(uint256 => SegmentStatus))) private segmentStatuses;

    event BroadcasterDeposited(address indexed broadcaster, uint256 amount, uint256 deposit);
    event BroadcasterWithdrew(address indexed broadcaster, uint256 amount);
    event TranscoderPriceSet(address indexed transcoder, uint256 pricePerSegment);
    event NewJob(
        address indexed transcoder,
        address indexed broadcaster,
        uint256 indexed jobId,
        string streamId,
        string transcodingOptions,
        uint256 maxPricePerSegment,
        uint256 pricePerSegment,
        uint256 creationRound,
        uint256 endBlock
    );
    event WorkClaimed(
        address indexed transcoder,
        uint256 indexed jobId,
        uint256 indexed claimId,
        uint256 segmentStart,
        uint256 segmentEnd,
        bytes32 claimRoot,
        uint256 fees
    );
    event SegmentVerificationSubmitted(
        address indexed transcoder, uint256 indexed jobId, uint256 indexed claimId, uint256 segmentNumber, uint256 requestId
    );
    event SegmentVerificationPassed(uint256 indexed jobId, uint256 indexed claimId, uint256 segmentNumber);
    event SegmentVerificationFailed(uint256 indexed jobId, uint256 indexed claimId, uint256 segmentNumber);
    event ClaimSlashed(
        address indexed transcoder,
        uint256 indexed jobId,
        uint256 indexed claimId,
        SlashReason reason,
        address finder,
        uint256 slashAmount,
        uint256 refund
    );
    event ClaimFeesDistributed(
        address indexed transcoder, uint256 indexed jobId, uint256 indexed claimId, uint256 fees, uint256 round
    );
    event ParameterUpdate(string param);

    constructor(
        address _controller,
        uint256 _verificationRate,
        uint256 _verificationPeriod,
        uint256 _verificationSlashingPeriod,
        uint256 _failedVerificationSlashAmount,
        uint256 _missedVerificationSlashAmount,
        uint256 _doubleClaimSegmentSlashAmount,
        uint256 _finderFee
    ) Manager(_controller) {
        _setVerificationRate(_verificationRate);
        _setPeriods(_verificationPeriod, _verificationSlashingPeriod);
        _setSlashAmounts(
            _failedVerificationSlashAmount, _missedVerificationSlashAmount, _doubleClaimSegmentSlashAmount, _finderFee
        );
    }

    // ---- parameters (Controller owner) ----

    function setVerificationRate(uint256 _verificationRate) external onlyControllerOwner {
        _setVerificationRate(_verificationRate);
    }

    /// @notice Applies to claims made from now on.
    function setVerificationPeriods(uint256 _verificationPeriod, uint256 _verificationSlashingPeriod)
        external
        onlyControllerOwner
    {
        _setPeriods(_verificationPeriod, _verificationSlashingPeriod);
    }

    function setSlashAmounts(
        uint256 _failedVerificationSlashAmount,
        uint256 _missedVerificationSlashAmount,
        uint256 _doubleClaimSegmentSlashAmount,
        uint256 _finderFee
    ) external onlyControllerOwner {
        _setSlashAmounts(
            _failedVerificationSlashAmount, _missedVerificationSlashAmount, _doubleClaimSegmentSlashAmount, _finderFee
        );
    }

    // ---- broadcasters ----

    /// @notice Adds msg.value to the caller's deposit; the ETH is held by the Minter.
    function deposit() external payable whenSystemNotPaused {
        require(msg.value > 0, "deposit is zero");
        Broadcaster storage b = broadcasters[msg.sender];
        b.deposit += msg.value;
        IMinter(_peer(MINTER)).depositETH{value: msg.value}();
        emit BroadcasterDeposited(msg.sender, msg.value, b.deposit);
    }

    /// @notice Pays the caller's whole deposit back once all the caller's jobs have ended. Escrow of
    /// claims that are later slashed returns to the deposit and can be withdrawn again.
    function withdraw() external whenSystemNotPaused {
        Broadcaster storage b = broadcasters[msg.sender];
        require(block.number >= b.withdrawBlock, "broadcaster has active jobs");
        uint256 amount = b.deposit;
        require(amount > 0, "nothing to withdraw");
        b.deposit = 0;
        IMinter(_peer(MINTER)).trustedWithdrawETH(payable(msg.sender), amount);
        emit BroadcasterWithdrew(msg.sender, amount);
    }

    /// @notice Creates a job and elects its transcoder. Returns the job id.
    function job(
        string calldata _streamId,
        string calldata _transcodingOptions,
        uint256 _maxPricePerSegment,
        uint256 _endBlock
    ) external whenSystemNotPaused returns (uint256 jobId) {
        require(bytes(_streamId).length > 0, "stream id is empty");
        require(_endBlock > block.number, "end block not in the future");
        require(_endBlock <= type(uint64).max, "end block above 2^64 - 1");
        jobId = jobs.length;
        Job storage j = jobs.push();
        j.profiles = uint64(profileCount(_transcodingOptions)); // calldata length bounds it far below 2^64
        j.streamId = _streamId;
        j.transcodingOptions = _transcodingOptions;
        j.maxPricePerSegment = _maxPricePerSegment;
        j.broadcaster = msg.sender;
        j.creationBlock = uint64(block.number);
        j.endBlock = uint64(_endBlock);
        _assignTranscoder(j, jobId);

        Broadcaster storage b = broadcasters[msg.sender];
        if (_endBlock > b.withdrawBlock) {
            b.withdrawBlock = _endBlock;
        }
        emit NewJob(
            j.transcoder,
            msg.sender,
            jobId,
            _streamId,
            _transcodingOptions,
            _maxPricePerSegment,
            j.pricePerSegment,
            j.creationRound,
            _endBlock
        );
    }

    // ---- transcoders ----

    /// @notice Announces the caller's price per segment and profile, in wei. Only a registered
    /// transcoder; during the round lock period the price may only go down.
    function setPricePerSegment(uint256 _pricePerSegment) external whenSystemNotPaused {
        require(_pricePerSegment > 0, "price is zero");
        require(_pricePerSegment <= type(uint128).max, "price above 2^128");
        require(IBondingManager(_peer(BONDING_MANAGER)).isRegisteredTranscoder(msg.sender), "not a registered transcoder");
        if (IRoundsManager(_peer(ROUNDS_MANAGER)).currentRoundLocked()) {
            require(_pricePerSegment <= transcoderPricePerSegment[msg.sender], "price may only go down while round is locked");
        }
        transcoderPricePerSegment[msg.sender] = _pricePerSegment;
        emit TranscoderPriceSet(msg.sender, _pricePerSegment);
    }

    /// @notice Claims the inclusive segment range with the Merkle root of its receipts, and moves
    /// segments * profiles * price from the broadcaster's deposit to escrow. Only the job's
    /// transcoder, while it is active and before the job's endBlock. Returns the claim id.
    function claimWork(uint256 _jobId, uint256[2] calldata _segmentRange, bytes32 _claimRoot)
        external
        whenSystemNotPaused
        returns (uint256 claimId)
    {
        Job storage j = _job(_jobId);
        require(msg.sender == j.transcoder, "caller is not the job's transcoder");
        require(block.number < j.endBlock, "job has ended");
        require(_segmentRange[0] <= _segmentRange[1], "invalid segment range");
        require(_segmentRange[1] <= type(uint64).max, "segment number above 2^64 - 1");
        require(_claimRoot != bytes32(0), "claim root is zero");
        require(IBondingManager(_peer(BONDING_MANAGER)).isActiveTranscoder(msg.sender), "transcoder is not active");

        uint256 fees = (_segmentRange[1] - _segmentRange[0] + 1) * j.profiles * j.pricePerSegment;
        Broadcaster storage b = broadcasters[j.broadcaster];
        require(b.deposit >= fees, "insufficient broadcaster deposit");
        b.deposit -= fees;
        uint128 fees128 = SafeCast.toUint128(fees); // fees <= a deposit of real ETH
        j.escrow += fees128;

        claimId = j.numClaims++;
        Claim storage c = claims[_jobId][claimId];
        c.claimRoot = _claimRoot;
        c.segmentStart = uint64(_segmentRange[0]);
        c.segmentEnd = uint64(_segmentRange[1]);
        c.claimBlock = uint64(block.number);
        c.endVerificationBlock = uint64(block.number + verificationPeriod);
        c.endSlashingBlock = uint64(block.number + verificationPeriod + verificationSlashingPeriod);
        c.fees = fees128;
        emit WorkClaimed(msg.sender, _jobId, claimId, _segmentRange[0], _segmentRange[1], _claimRoot, fees);
    }

    /// @notice Submits a challenged segment: proves its receipt is in the claim and that the
    /// broadcaster signed the segment, then asks the Verifier. Only the job's transcoder, before
    /// the claim's endVerificationBlock.
    function verify(
        uint256 _jobId,
        uint256 _claimId,
        uint256 _segmentNumber,
        bytes32 _dataHash,
        bytes32 _transcodedDataHash,
        bytes calldata _broadcasterSig,
        bytes32[] calldata _proof
    ) external whenSystemNotPaused {
        Job storage j = _job(_jobId);
        Claim storage c = _claimAwaitingVerify(j, _jobId, _claimId, _segmentNumber);
        _requireReceipt(j, c, _segmentNumber, _dataHash, _transcodedDataHash, _broadcasterSig, _proof);
        segmentStatuses[_jobId][_claimId][_segmentNumber] = SegmentStatus.Submitted;
        _requestVerification(j, _jobId, _claimId, _segmentNumber, _dataHash, _transcodedDataHash);
    }

    /// @inheritdoc IJobsManager
    function receiveVerification(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber, bool _pass)
        external
        onlyContract(VERIFIER, "caller must be Verifier")
        whenSystemNotPaused
    {
        require(
            segmentStatuses[_jobId][_claimId][_segmentNumber] == SegmentStatus.Submitted, "segment not awaiting result"
        );
        if (_pass) {
            segmentStatuses[_jobId][_claimId][_segmentNumber] = SegmentStatus.Passed;
            emit SegmentVerificationPassed(_jobId, _claimId, _segmentNumber);
            return;
        }
        segmentStatuses[_jobId][_claimId][_segmentNumber] = SegmentStatus.Failed;
        emit SegmentVerificationFailed(_jobId, _claimId, _segmentNumber);
        Job storage j = jobs[_jobId];
        Claim storage c = claims[_jobId][_claimId];
        uint256 refund;
        if (c.status == ClaimStatus.Pending) {
            refund = _refund(j, c);
        }
        IBondingManager(_peer(BONDING_MANAGER)).slashTranscoder(j.transcoder, address(0), failedVerificationSlashAmount, 0);
        emit ClaimSlashed(
            j.transcoder, _jobId, _claimId, SlashReason.FailedVerification, address(0), failedVerificationSlashAmount, refund
        );
    }

    // ---- slashing and fees ----

    /// @notice Slashes a claim whose challenged segment was never submitted with verify(). Anyone,
    /// after endVerificationBlock and before endSlashingBlock; the caller gets the finder fee.
    function missedVerificationSlash(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber)
        external
        whenSystemNotPaused
    {
        Job storage j = _job(_jobId);
        Claim storage c = _claim(_jobId, _claimId);
        require(c.status == ClaimStatus.Pending, "claim is not pending");
        require(block.number >= c.endVerificationBlock, "verification period not over");
        require(block.number < c.endSlashingBlock, "slashing period over");
        _requireChallenged(c, _segmentNumber);
        require(segmentStatuses[_jobId][_claimId][_segmentNumber] == SegmentStatus.None, "segment was submitted");
        _slashClaim(j, c, _jobId, _claimId, SlashReason.MissedVerification, missedVerificationSlashAmount);
    }

    /// @notice Slashes _claimId2 when it and a different claim _claimId1 of the same job both cover
    /// _segmentNumber. Anyone, while _claimId2 is Pending and before its endSlashingBlock; the
    /// caller gets the finder fee.
    function doubleClaimSegmentSlash(uint256 _jobId, uint256 _claimId1, uint256 _claimId2, uint256 _segmentNumber)
        external
        whenSystemNotPaused
    {
        require(_claimId1 != _claimId2, "claims must differ");
        Job storage j = _job(_jobId);
        Claim storage c1 = _claim(_jobId, _claimId1);
        Claim storage c2 = _claim(_jobId, _claimId2);
        require(c1.status != ClaimStatus.Slashed, "first claim already slashed");
        require(c2.status == ClaimStatus.Pending, "second claim is not pending");
        require(block.number < c2.endSlashingBlock, "slashing period over");
        require(_inRange(c1, _segmentNumber) && _inRange(c2, _segmentNumber), "segment not in both claims");
        _slashClaim(j, c2, _jobId, _claimId2, SlashReason.DoubleClaimSegment, doubleClaimSegmentSlashAmount);
    }

    /// @notice Credits a Pending claim's escrow to its transcoder's fee pool for the job's creation
    /// round, once the claim's slashing period is over. Anyone may call; works after the transcoder
    /// resigned.
    function distributeFees(uint256 _jobId, uint256 _claimId) external whenSystemNotPaused {
        Job storage j = _job(_jobId);
        Claim storage c = _claim(_jobId, _claimId);
        require(c.status == ClaimStatus.Pending, "claim is not pending");
        require(block.number >= c.endSlashingBlock, "slashing period not over");
        c.status = ClaimStatus.Complete;
        j.escrow -= c.fees;
        IBondingManager(_peer(BONDING_MANAGER)).updateTranscoderWithFees(j.transcoder, c.fees, j.creationRound);
        emit ClaimFeesDistributed(j.transcoder, _jobId, _claimId, c.fees, j.creationRound);
    }

    // ---- views ----

    function numJobs() external view returns (uint256) {
        return jobs.length;
    }

    function getJob(uint256 _jobId) external view returns (Job memory) {
        return _job(_jobId);
    }

    function getClaim(uint256 _jobId, uint256 _claimId) external view returns (Claim memory) {
        return _claim(_jobId, _claimId);
    }

    function segmentStatus(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber)
        external
        view
        returns (SegmentStatus)
    {
        return segmentStatuses[_jobId][_claimId][_segmentNumber];
    }

    /// @notice Whether the challenge rule picks _segmentNumber of the claim (in range or not).
    /// Reverts before the seed block is mined and after its hash has left the EVM's window.
    function isSegmentChallenged(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber)
        external
        view
        returns (bool)
    {
        Claim storage c = _claim(_jobId, _claimId);
        require(block.number > c.claimBlock + 1, "challenge seed not mined yet");
        require(block.number <= c.claimBlock + 1 + 256, "challenge seed expired");
        return _challenged(c.claimBlock, _segmentNumber);
    }

    /// @notice Whether _receiptHash is a leaf of the claim's Merkle root under _proof.
    function receiptInClaim(uint256 _jobId, uint256 _claimId, bytes32 _receiptHash, bytes32[] calldata _proof)
        external
        view
        returns (bool)
    {
        return MerkleProof.verifyCalldata(_proof, _claim(_jobId, _claimId).claimRoot, _receiptHash);
    }

    /// @notice The transcoder elected for a job with this max price, round and seed, and its price;
    /// (address(0), 0) when no active transcoder fits.
    function electTranscoder(uint256 _maxPricePerSegment, uint256 _round, uint256 _seed)
        public
        view
        returns (address transcoder, uint256 price)
    {
        (address[] memory active, uint256[] memory stakes) =
            IBondingManager(_peer(BONDING_MANAGER)).getActiveTranscoders(_round);
        uint256 total;
        for (uint256 i = 0; i < active.length; i++) {
            uint256 p = transcoderPricePerSegment[active[i]];
            if (p == 0 || p > _maxPricePerSegment) {
                stakes[i] = 0;
            }
            total += stakes[i];
        }
        if (total == 0) {
            return (address(0), 0);
        }
        uint256 point = _seed % total;
        for (uint256 i = 0; i < active.length; i++) {
            if (point < stakes[i]) {
                return (active[i], transcoderPricePerSegment[active[i]]);
            }
            point -= stakes[i];
        }
        revert("election overran the stake total"); // unreachable: point < total
    }

    /// @notice Number of profiles in transcodingOptions (8 lowercase hex characters each).
    function profileCount(string calldata _transcodingOptions) public pure returns (uint256) {
        bytes calldata opts = bytes(_transcodingOptions);
        require(opts.length > 0 && opts.length % PROFILE_ID_LENGTH == 0, "invalid transcoding options");
        for (uint256 i = 0; i < opts.length; i++) {
            bytes1 ch = opts[i];
            require((ch >= "0" && ch <= "9") || (ch >= "a" && ch <= "f"), "invalid transcoding options");
        }
        return opts.length / PROFILE_ID_LENGTH;
    }

    function computeSegmentHash(string memory _streamId, uint256 _segmentNumber, bytes32 _dataHash)
        public
        pure
        returns (bytes32)
    {
        return keccak256(abi.encodePacked(_streamId, _segmentNumber, _dataHash));
    }

    function computeReceiptHash(
        string memory _streamId,
        uint256 _segmentNumber,
        bytes32 _dataHash,
        bytes32 _transcodedDataHash,
        bytes memory _broadcasterSig
    ) public pure returns (bytes32) {
        return keccak256(abi.encodePacked(_streamId, _segmentNumber, _dataHash, _transcodedDataHash, _broadcasterSig));
    }

    // ---- internals ----

    /// @dev Elects the job's transcoder in the current round; see the contract doc for the seed.
    function _assignTranscoder(Job storage _j, uint256 _jobId) internal {
        IRoundsManager rm = IRoundsManager(_peer(ROUNDS_MANAGER));
        require(rm.currentRoundInitialized(), "current round not initialized");
        uint256 round = rm.currentRound();
        uint256 seed = uint256(keccak256(abi.encodePacked(blockhash(block.number - 1), _jobId)));
        (address transcoder, uint256 price) = electTranscoder(_j.maxPricePerSegment, round, seed);
        require(transcoder != address(0), "no active transcoder at this price");
        _j.transcoder = transcoder;
        _j.pricePerSegment = uint128(price); // setPricePerSegment keeps prices below 2^128
        _j.creationRound = SafeCast.toUint64(round);
    }

    function _job(uint256 _jobId) internal view returns (Job storage) {
        require(_jobId < jobs.length, "no such job");
        return jobs[_jobId];
    }

    function _claim(uint256 _jobId, uint256 _claimId) internal view returns (Claim storage) {
        require(_claimId < _job(_jobId).numClaims, "no such claim");
        return claims[_jobId][_claimId];
    }

    function _inRange(Claim storage _c, uint256 _segmentNumber) internal view returns (bool) {
        return _segmentNumber >= _c.segmentStart && _segmentNumber <= _c.segmentEnd;
    }

    function _challenged(uint256 _claimBlock, uint256 _segmentNumber) internal view returns (bool) {
        uint256 seedBlock = _claimBlock + 1;
        bytes32 seed = keccak256(abi.encodePacked(seedBlock, blockhash(seedBlock), _segmentNumber));
        return uint256(seed) % verificationRate == 0;
    }

    /// @dev Callers run before endSlashingBlock <= claimBlock + 1 + 255, so blockhash is still known.
    function _requireChallenged(Claim storage _c, uint256 _segmentNumber) internal view {
        require(_inRange(_c, _segmentNumber), "segment not in claim");
        require(block.number > _c.claimBlock + 1, "challenge seed not mined yet");
        require(_challenged(_c.claimBlock, _segmentNumber), "segment not challenged");
    }

    /// @dev The checks of verify() that need no receipt: caller, claim state, window, challenge.
    function _claimAwaitingVerify(Job storage _j, uint256 _jobId, uint256 _claimId, uint256 _segmentNumber)
        internal
        view
        returns (Claim storage c)
    {
        c = _claim(_jobId, _claimId);
        require(msg.sender == _j.transcoder, "caller is not the job's transcoder");
        require(c.status == ClaimStatus.Pending, "claim is not pending");
        require(block.number < c.endVerificationBlock, "verification period over");
        _requireChallenged(c, _segmentNumber);
        require(segmentStatuses[_jobId][_claimId][_segmentNumber] == SegmentStatus.None, "segment already submitted");
    }

    /// @dev Proves the broadcaster signed the segment and the receipt is a leaf of the claim root.
    function _requireReceipt(
        Job storage _j,
        Claim storage _c,
        uint256 _segmentNumber,
        bytes32 _dataHash,
        bytes32 _transcodedDataHash,
        bytes calldata _broadcasterSig,
        bytes32[] calldata _proof
    ) internal view {
        string memory streamId = _j.streamId;
        bytes32 digest = MessageHashUtils.toEthSignedMessageHash(computeSegmentHash(streamId, _segmentNumber, _dataHash));
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, _broadcasterSig);
        require(err == ECDSA.RecoverError.NoError && signer == _j.broadcaster, "invalid broadcaster signature");
        bytes32 leaf = computeReceiptHash(streamId, _segmentNumber, _dataHash, _transcodedDataHash, _broadcasterSig);
        require(MerkleProof.verifyCalldata(_proof, _c.claimRoot, leaf), "receipt not in claim");
    }

    function _requestVerification(
        Job storage _j,
        uint256 _jobId,
        uint256 _claimId,
        uint256 _segmentNumber,
        bytes32 _dataHash,
        bytes32 _transcodedDataHash
    ) internal {
        uint256 requestId = IVerifier(_peer(VERIFIER)).requestVerification(
            _jobId, _claimId, _segmentNumber, _j.streamId, _j.transcodingOptions, _dataHash, _transcodedDataHash
        );
        emit SegmentVerificationSubmitted(msg.sender, _jobId, _claimId, _segmentNumber, requestId);
    }

    /// @dev Moves a Pending claim's escrow back to the broadcaster's deposit and marks it Slashed.
    function _refund(Job storage _j, Claim storage _c) internal returns (uint256 refund) {
        uint128 fees = _c.fees;
        refund = fees;
        _c.status = ClaimStatus.Slashed;
        _j.escrow -= fees;
        broadcasters[_j.broadcaster].deposit += refund;
    }

    function _slashClaim(
        Job storage _j,
        Claim storage _c,
        uint256 _jobId,
        uint256 _claimId,
        SlashReason _reason,
        uint256 _slashAmount
    ) internal {
        uint256 refund = _refund(_j, _c);
        IBondingManager(_peer(BONDING_MANAGER)).slashTranscoder(_j.transcoder, msg.sender, _slashAmount, finderFee);
        emit ClaimSlashed(_j.transcoder, _jobId, _claimId, _reason, msg.sender, _slashAmount, refund);
    }

    function _setVerificationRate(uint256 _verificationRate) internal {
        require(_verificationRate > 0, "verification rate is zero");
        verificationRate = _verificationRate;
        emit ParameterUpdate("verificationRate");
    }

    function _setPeriods(uint256 _verificationPeriod, uint256 _verificationSlashingPeriod) internal {
        // verify() needs the seed block claimBlock + 1 mined and block.number < endVerificationBlock.
        require(_verificationPeriod > 2, "verification period too short");
        require(
            _verificationPeriod + _verificationSlashingPeriod <= MAX_CHALLENGE_WINDOW, "periods exceed the blockhash window"
        );
        verificationPeriod = _verificationPeriod;
        verificationSlashingPeriod = _verificationSlashingPeriod;
        emit ParameterUpdate("verificationPeriods");
    }

    function _setSlashAmounts(uint256 _failed, uint256 _missed, uint256 _doubleClaim, uint256 _finderFee) internal {
        require(
            _failed <= PERC_DIVISOR && _missed <= PERC_DIVISOR && _doubleClaim <= PERC_DIVISOR
                && _finderFee <= PERC_DIVISOR,
            "slash amount above 100%"
        );
        failedVerificationSlashAmount = _failed;
        missedVerificationSlashAmount = _missed;
        doubleClaimSegmentSlashAmount = _doubleClaim;
        finderFee = _finderFee;
        emit ParameterUpdate("slashAmounts");
    }
}
