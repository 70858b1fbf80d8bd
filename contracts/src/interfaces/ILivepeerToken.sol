// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The protocol token: an ERC20 that only the Minter can mint, and anyone can burn their own of.
interface ILivepeerToken is IERC20 {
    function mint(address _to, uint256 _amount) external;
    function burn(uint256 _amount) external;
}
