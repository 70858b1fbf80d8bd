// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the BondingManager that other protocol contracts call.
interface IBondingManager {
    /// @notice Freezes the current round's active set. Only the RoundsManager.
    function setCurrentRoundTotalActiveStake() external;

    /// @notice Slashes _slashAmount ppm of the transcoder's self-bond, pays _finderFee ppm of the
    /// penalty to _finder (if non-zero) and burns the rest. Only the JobsManager.
    function slashTranscoder(address _transcoder, address _finder, uint256 _slashAmount, uint256 _finderFee)
        external;

    /// @notice Credits _fees wei (already deposited in the Minter) to the transcoder's fee pool;
    /// _round is the round the fees were earned in. Works after the transcoder resigned. Only the JobsManager.
    function updateTranscoderWithFees(address _transcoder, uint256 _fees, uint256 _round) external;

    /// @notice The active set frozen when _round was initialized, with each transcoder's frozen stake.
    function getActiveTranscoders(uint256 _round)
        external
        view
        returns (address[] memory transcoders, uint256[] memory stakes);

    function isActiveTranscoder(address _transcoder) external view returns (bool);
    function isRegisteredTranscoder(address _transcoder) external view returns (bool);
    function getTotalBonded() external view returns (uint256);
    function currentRoundTotalActiveStake() external view returns (uint256);
    function transcoderTotalStake(address _transcoder) external view returns (uint256);
}
