// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IController} from "./interfaces/IController.sol";

/// @title LivepeerToken
/// @notice The protocol's ERC20. The initial supply goes to the deployer; after that only the
/// Minter registered in the Controller can mint. Any holder can burn their own tokens.
contract LivepeerToken is ERC20 {
    IController public immutable controller;

    event Mint(address indexed to, uint256 amount);
    event Burn(address indexed burner, uint256 value);

    constructor(address _controller, uint256 _initialSupply) ERC20("Livepeer Token", "LPT") {
        require(_controller != address(0), "controller is zero");
        controller = IController(_controller);
        _mint(msg.sender, _initialSupply);
    }

    /// @notice Mints _amount to _to. Only the Minter.
    function mint(address _to, uint256 _amount) external {
        require(msg.sender == controller.getContract(keccak256("Minter")), "caller must be Minter");
        _mint(_to, _amount);
        emit Mint(_to, _amount);
    }

    /// @notice Burns _amount of the caller's tokens.
    function burn(uint256 _amount) external {
        _burn(msg.sender, _amount);
        emit Burn(msg.sender, _amount);
    }
}
