// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Manager} from "./base/Manager.sol";
import {IBondingManager} from "./interfaces/IBondingManager.sol";
import {IMinter} from "./interfaces/IMinter.sol";

/// @title RoundsManager
/// @notice Rounds of roundLength blocks. currentRound = block.number / roundLength, counted from
/// the last length change. initializeRound() may be called once per round by anyone: it freezes
/// the active transcoder set and sets the round's mintable tokens.
contract RoundsManager is Manager {
    uint256 public roundLength;
    /// @notice The last roundLockAmount ppm of a round are locked: transcoders cannot change rates.
    uint256 public roundLockAmount;
    uint256 public lastInitializedRound;
    uint256 public lastRoundLengthUpdateRound;
    uint256 public lastRoundLengthUpdateStartBlock;

    mapping(uint256 => bytes32) private _blockHashForRound;

    event NewRound(uint256 indexed round, bytes32 blockHash);
    event ParameterUpdate(string param);

    constructor(address _controller, uint256 _roundLength, uint256 _roundLockAmount) Manager(_controller) {
        require(_roundLength > 0, "round length is zero");
        require(_roundLockAmount <= PERC_DIVISOR, "round lock amount above 100%");
        roundLength = _roundLength;
        roundLockAmount = _roundLockAmount;
        lastInitializedRound = block.number / _roundLength;
    }

    /// @notice Changes the round length from the current round's start block on.
    function setRoundLength(uint256 _roundLength) external onlyControllerOwner {
        require(_roundLength > 0, "round length is zero");
        uint256 round = currentRound();
        uint256 startBlock = currentRoundStartBlock();
        lastRoundLengthUpdateRound = round;
        lastRoundLengthUpdateStartBlock = startBlock;
        roundLength = _roundLength;
        emit ParameterUpdate("roundLength");
    }

    function setRoundLockAmount(uint256 _roundLockAmount) external onlyControllerOwner {
        require(_roundLockAmount <= PERC_DIVISOR, "round lock amount above 100%");
        roundLockAmount = _roundLockAmount;
        emit ParameterUpdate("roundLockAmount");
    }

    /// @notice Starts the current round: freezes the active set and sets the mintable tokens.
    function initializeRound() external whenSystemNotPaused {
        uint256 round = currentRound();
        require(lastInitializedRound < round, "round already initialized");
        lastInitializedRound = round;
        bytes32 hash = blockhash(block.number - 1);
        _blockHashForRound[round] = hash;
        IBondingManager(_peer(BONDING_MANAGER)).setCurrentRoundTotalActiveStake();
        IMinter(_peer(MINTER)).setCurrentRewardTokens();
        emit NewRound(round, hash);
    }

    function currentRound() public view returns (uint256) {
        return lastRoundLengthUpdateRound + (block.number - lastRoundLengthUpdateStartBlock) / roundLength;
    }

    function currentRoundStartBlock() public view returns (uint256) {
        return lastRoundLengthUpdateStartBlock + (currentRound() - lastRoundLengthUpdateRound) * roundLength;
    }

    function currentRoundInitialized() public view returns (bool) {
        return lastInitializedRound == currentRound();
    }

    function currentRoundLocked() public view returns (bool) {
        uint256 lockedBlocks = Math.mulDiv(roundLength, roundLockAmount, PERC_DIVISOR);
        return block.number - currentRoundStartBlock() >= roundLength - lockedBlocks;
    }

    /// @notice The hash of the block before the one that initialized _round (zero if not initialized).
    function blockHashForRound(uint256 _round) public view returns (bytes32) {
        return _blockHashForRound[_round];
    }
}
