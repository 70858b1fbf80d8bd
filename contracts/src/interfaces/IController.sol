// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Registry of protocol contracts (keccak256(name) -> address), owner and pause switch.
interface IController {
    function getContract(bytes32 _id) external view returns (address);
    function paused() external view returns (bool);
    function owner() external view returns (address);
}
