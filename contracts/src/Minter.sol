// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {Manager} from "./base/Manager.sol";
import {IBondingManager} from "./interfaces/IBondingManager.sol";
import {ILivepeerToken} from "./interfaces/ILivepeerToken.sol";

/// @title Minter
/// @notice Mints each round's reward tokens and holds all bonded LPT and all broadcaster ETH.
/// Each round inflation moves by inflationChange toward targetBondingRate, and
/// currentMintableTokens = totalSupply * inflation / 1e6. createReward never mints more than that.
contract Minter is Manager {
    /// @notice Per-round inflation, ppm of the total supply.
    uint256 public inflation;
    /// @notice How far inflation moves each round, ppm.
    uint256 public inflationChange;
    /// @notice Bonded / total supply the protocol aims for, ppm.
    uint256 public targetBondingRate;
    uint256 public currentMintableTokens;
    uint256 public currentMintedTokens;

    event SetCurrentRewardTokens(uint256 currentMintableTokens, uint256 currentInflation);
    event ParameterUpdate(string param);

    constructor(address _controller, uint256 _inflation, uint256 _inflationChange, uint256 _targetBondingRate)
        Manager(_controller)
    {
        require(_inflation <= PERC_DIVISOR, "inflation above 100%");
        require(_targetBondingRate <= PERC_DIVISOR, "target bonding rate above 100%");
        inflation = _inflation;
        inflationChange = _inflationChange;
        targetBondingRate = _targetBondingRate;
    }

    function setTargetBondingRate(uint256 _targetBondingRate) external onlyControllerOwner {
        require(_targetBondingRate <= PERC_DIVISOR, "target bonding rate above 100%");
        targetBondingRate = _targetBondingRate;
        emit ParameterUpdate("targetBondingRate");
    }

    function setInflationChange(uint256 _inflationChange) external onlyControllerOwner {
        require(_inflationChange <= PERC_DIVISOR, "inflation change above 100%");
        inflationChange = _inflationChange;
        emit ParameterUpdate("inflationChange");
    }

    /// @notice Mints currentMintableTokens * _fracNum / _fracDenom to the Minter and returns the amount.
    function createReward(uint256 _fracNum, uint256 _fracDenom)
        external
        onlyContract(BONDING_MANAGER, "caller must be BondingManager")
        whenSystemNotPaused
        returns (uint256)
    {
        require(_fracDenom > 0 && _fracNum <= _fracDenom, "invalid reward fraction");
        uint256 amount = Math.mulDiv(currentMintableTokens, _fracNum, _fracDenom);
        require(currentMintedTokens + amount <= currentMintableTokens, "minting more than mintable");
        currentMintedTokens += amount;
        _token().mint(address(this), amount);
        return amount;
    }

    function trustedTransferTokens(address _to, uint256 _amount)
        external
        onlyContract(BONDING_MANAGER, "caller must be BondingManager")
        whenSystemNotPaused
    {
        require(_token().transfer(_to, _amount), "token transfer failed");
    }

    function trustedBurnTokens(uint256 _amount)
        external
        onlyContract(BONDING_MANAGER, "caller must be BondingManager")
        whenSystemNotPaused
    {
        _token().burn(_amount);
    }

    function trustedWithdrawETH(address payable _to, uint256 _amount) external whenSystemNotPaused {
        require(
            msg.sender == _peer(BONDING_MANAGER) || msg.sender == _peer(JOBS_MANAGER),
            "caller must be BondingManager or JobsManager"
        );
        (bool ok,) = _to.call{value: _amount}("");
        require(ok, "ETH transfer failed");
    }

    function depositETH() external payable onlyContract(JOBS_MANAGER, "caller must be JobsManager") {}

    /// @notice Moves inflation toward the target bonding rate and sets this round's mintable tokens.
    function setCurrentRewardTokens()
        external
        onlyContract(ROUNDS_MANAGER, "caller must be RoundsManager")
        whenSystemNotPaused
    {
        _setInflation();
        currentMintableTokens = Math.mulDiv(_token().totalSupply(), inflation, PERC_DIVISOR);
        currentMintedTokens = 0;
        emit SetCurrentRewardTokens(currentMintableTokens, inflation);
    }

    /// @notice Bonded tokens as ppm of the total supply.
    function currentBondingRate() public view returns (uint256) {
        uint256 supply = _token().totalSupply();
        if (supply == 0) return 0;
        return Math.mulDiv(IBondingManager(_peer(BONDING_MANAGER)).getTotalBonded(), PERC_DIVISOR, supply);
    }

    function _setInflation() internal {
        uint256 rate = currentBondingRate();
        if (rate < targetBondingRate) {
            inflation = Math.min(inflation + inflationChange, PERC_DIVISOR);
        } else if (rate > targetBondingRate) {
            inflation = inflation > inflationChange ? inflation - inflationChange : 0;
        }
    }

    function _token() internal view returns (ILivepeerToken) {
        return ILivepeerToken(_peer(LIVEPEER_TOKEN));
    }
}
