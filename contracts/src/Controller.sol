// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @title Controller
/// @notice Registry of the protocol contracts, keyed by keccak256 of the contract name
/// ("BondingManager", "RoundsManager", "Minter", "LivepeerToken", "JobsManager", "Verifier").
/// The owner registers contracts and pauses or unpauses the whole system; managers refuse
/// state changes while it is paused. A new Controller starts paused, like the live network's.
contract Controller is Ownable, Pausable {
    struct ContractInfo {
        address contractAddress;
        bytes20 gitCommitHash;
    }

    mapping(bytes32 => ContractInfo) private registry;

    event SetContractInfo(bytes32 id, address contractAddress, bytes20 gitCommitHash);

    constructor() Ownable(msg.sender) {
        _pause();
    }

    /// @notice Registers _contractAddress under _id (keccak256 of the contract name).
    function setContractInfo(bytes32 _id, address _contractAddress, bytes20 _gitCommitHash) external onlyOwner {
        registry[_id] = ContractInfo(_contractAddress, _gitCommitHash);
        emit SetContractInfo(_id, _contractAddress, _gitCommitHash);
    }

    function getContract(bytes32 _id) external view returns (address) {
        return registry[_id].contractAddress;
    }

    function getContractInfo(bytes32 _id) external view returns (address, bytes20) {
        ContractInfo storage info = registry[_id];
        return (info.contractAddress, info.gitCommitHash);
    }

    function pause() external onlyOwner {
        _pause();
    }

    function unpause() external onlyOwner {
        _unpause();
    }
}
