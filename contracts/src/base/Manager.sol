// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IController} from "../interfaces/IController.sol";

/// @notice Base of every protocol manager: it reads its peers from the Controller, and its
/// state-changing functions stop while the Controller is paused.
abstract contract Manager {
    /// @notice Percentages are parts per million.
    uint256 internal constant PERC_DIVISOR = 1_000_000;

    bytes32 internal constant BONDING_MANAGER = keccak256("BondingManager");
    bytes32 internal constant ROUNDS_MANAGER = keccak256("RoundsManager");
    bytes32 internal constant MINTER = keccak256("Minter");
    bytes32 internal constant LIVEPEER_TOKEN = keccak256("LivepeerToken");
    bytes32 internal constant JOBS_MANAGER = keccak256("JobsManager");
    bytes32 internal constant VERIFIER = keccak256("Verifier");

    IController public immutable controller;

    constructor(address _controller) {
        require(_controller != address(0), "controller is zero");
        controller = IController(_controller);
    }

    modifier whenSystemNotPaused() {
        require(!controller.paused(), "system is paused");
        _;
    }

    modifier onlyControllerOwner() {
        require(msg.sender == controller.owner(), "caller must be Controller owner");
        _;
    }

    modifier onlyContract(bytes32 _id, string memory _name) {
        require(msg.sender == controller.getContract(_id), _name);
        _;
    }

    function _peer(bytes32 _id) internal view returns (address) {
        return controller.getContract(_id);
    }
}
