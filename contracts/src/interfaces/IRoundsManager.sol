// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the RoundsManager that other protocol contracts call.
interface IRoundsManager {
    function currentRound() external view returns (uint256);
    function currentRoundStartBlock() external view returns (uint256);
    function currentRoundInitialized() external view returns (bool);
    function currentRoundLocked() external view returns (bool);
    function blockHashForRound(uint256 _round) external view returns (bytes32);
    function roundLength() external view returns (uint256);
}
