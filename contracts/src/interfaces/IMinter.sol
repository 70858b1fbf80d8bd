// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the Minter that other protocol contracts call.
interface IMinter {
    /// @notice Mints currentMintableTokens * _fracNum / _fracDenom to the Minter. Only the BondingManager.
    function createReward(uint256 _fracNum, uint256 _fracDenom) external returns (uint256);
    /// @notice Only the BondingManager.
    function trustedTransferTokens(address _to, uint256 _amount) external;
    /// @notice Only the BondingManager.
    function trustedBurnTokens(uint256 _amount) external;
    /// @notice Only the BondingManager or the JobsManager.
    function trustedWithdrawETH(address payable _to, uint256 _amount) external;
    /// @notice Only the JobsManager.
    function depositETH() external payable;
    /// @notice Moves inflation and sets the round's mintable tokens. Only the RoundsManager.
    function setCurrentRewardTokens() external;

    function currentMintableTokens() external view returns (uint256);
    function currentMintedTokens() external view returns (uint256);
}
