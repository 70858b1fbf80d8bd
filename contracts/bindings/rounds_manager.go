// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package bindings

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// RoundsManagerMetaData contains all meta data concerning the RoundsManager contract.
var RoundsManagerMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_controller\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"_roundLength\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"_roundLockAmount\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"round\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"blockHash\",\"type\":\"bytes32\"}],\"name\":\"NewRound\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"string\",\"name\":\"param\",\"type\":\"string\"}],\"name\":\"ParameterUpdate\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"_round\",\"type\":\"uint256\"}],\"name\":\"blockHashForRound\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"controller\",\"outputs\":[{\"internalType\":\"contractIController\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentRound\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentRoundInitialized\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentRoundLocked\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"currentRoundStartBlock\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"initializeRound\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastInitializedRound\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastRoundLengthUpdateRound\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"lastRoundLengthUpdateStartBlock\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"roundLength\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"roundLockAmount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"_roundLength\",\"type\":\"uint256\"}],\"name\":\"setRoundLength\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"_roundLockAmount\",\"type\":\"uint256\"}],\"name\":\"setRoundLockAmount\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x60a03461017157601f610b2238819003918201601f19168301916001600160401b03831184841017610175578084926060946040528339810103126101715780516001600160a01b0381169081900361017157604060208301519201519080156101375760805281156100f257620f424081116100ad57815f556001554304600255604051610998908161018a823960805181818160cd0152818161013d0152818161053201526106f30152f35b60405162461bcd60e51b815260206004820152601c60248201527f726f756e64206c6f636b20616d6f756e742061626f76652031303025000000006044820152606490fd5b60405162461bcd60e51b815260206004820152601460248201527f726f756e64206c656e677468206973207a65726f0000000000000000000000006044820152606490fd5b60405162461bcd60e51b8152602060048201526012602482015271636f6e74726f6c6c6572206973207a65726f60701b6044820152606490fd5b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f905f3560e01c9081630b1573b8146106ca575080630fe1dfa8146106ad578063219bc76c146106875780633aa4add41461065d578063668abff714610640578063681312f5146105065780636841f253146104c25780638807f36e146104a55780638a19c8bc1461048b5780638b649b941461046f5780638fa148f21461044d578063d4807fb21461011d578063f5b490d5146100ff5763f77c4791146100b8575f80fd5b346100fc57806003193601126100fc576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b80fd5b50346100fc57806003193601126100fc576020600154604051908152f35b503461035e575f36600319011261035e57604051635c975abb60e01b81527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b031690602081600481855afa908115610353575f91610412575b506103da5761018a610897565b9081600254101561039557816002555f194301438111610381574090825f5260056020528160405f2055604051631c2d8fb360e31b81527f2517d59a36a86548e38734e8ab416f42afff4bca78706a66ad65750dae7f9e376004820152602081602481855afa908115610353575f91610362575b506001600160a01b0316803b1561035e575f809160046040518094819363389f910b60e11b83525af180156103535761033b575b5060246020859260405192838092631c2d8fb360e31b82527f6e58ad548d72b425ea94c15f453bf26caddb061d82b2551db7fdd3cefe0e994060048301525afa9081156102fd57829161030c575b506001600160a01b0316803b1561030857818091600460405180948193633b38819360e21b83525af180156102fd576102e4575b505060207f22f2fc17c5daf07db2379b3a03a8ef20a183f761097a58fce219c8a14619e78691604051908152a280f35b816102ee916107dc565b6102f957825f6102b4565b8280fd5b6040513d84823e3d90fd5b5080fd5b61032e915060203d602011610334575b61032681836107dc565b810190610812565b5f610280565b503d61031c565b602094505f610349916107dc565b60245f9450610232565b6040513d5f823e3d90fd5b5f80fd5b61037b915060203d6020116103345761032681836107dc565b5f6101fe565b634e487b7160e01b5f52601160045260245ffd5b60405162461bcd60e51b815260206004820152601960248201527f726f756e6420616c726561647920696e697469616c697a6564000000000000006044820152606490fd5b60405162461bcd60e51b815260206004820152601060248201526f1cde5cdd195b481a5cc81c185d5cd95960821b6044820152606490fd5b90506020813d602011610445575b8161042d602093836107dc565b8101031261035e5751801515810361035e575f61017d565b3d9150610420565b3461035e575f36600319011261035e5760206104676108d1565b604051908152f35b3461035e575f36600319011261035e5760205f54604051908152f35b3461035e575f36600319011261035e576020610467610897565b3461035e575f36600319011261035e576020600254604051908152f35b3461035e575f36600319011261035e5760205f546104fc6104e560015483610904565b6104f66104f06108d1565b4361087d565b9261087d565b1115604051908152f35b3461035e57602036600319011261035e57604051638da5cb5b60e01b81526004803591906020908290817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa80156103535761057e915f91610621575b506001600160a01b03163314610831565b80156105e55761058c610897565b6105946108d1565b906003556004555f557f9f5033568d78ae30f29f01e944f97b2216493bd19d1b46d429673acff3dcd674606060405160208152600b60208201526a0e4deeadcc898cadccee8d60ab1b6040820152a1005b60405162461bcd60e51b8152602060048201526014602482015273726f756e64206c656e677468206973207a65726f60601b6044820152606490fd5b61063a915060203d6020116103345761032681836107dc565b8361056d565b3461035e575f36600319011261035e576020600454604051908152f35b3461035e57602036600319011261035e576004355f526005602052602060405f2054604051908152f35b3461035e575f36600319011261035e5760206002546106a4610897565b14604051908152f35b3461035e575f36600319011261035e576020600354604051908152f35b3461035e57602036600319011261035e57638da5cb5b60e01b81526004803591906020908290817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa80156103535761073e915f9161062157506001600160a01b03163314610831565b620f42408111610797576001557f9f5033568d78ae30f29f01e944f97b2216493bd19d1b46d429673acff3dcd674606060405160208152600f60208201526e1c9bdd5b99131bd8dad05b5bdd5b9d608a1b6040820152a1005b60405162461bcd60e51b815260206004820152601c60248201527f726f756e64206c6f636b20616d6f756e742061626f76652031303025000000006044820152606490fd5b90601f8019910116810190811067ffffffffffffffff8211176107fe57604052565b634e487b7160e01b5f52604160045260245ffd5b9081602091031261035e57516001600160a01b038116810361035e5790565b1561083857565b60405162461bcd60e51b815260206004820152601f60248201527f63616c6c6572206d75737420626520436f6e74726f6c6c6572206f776e6572006044820152606490fd5b9190820391821161038157565b9190820180921161038157565b6003546108a66004544361087d565b905f5480156108bd576108ba92049061088a565b90565b634e487b7160e01b5f52601260045260245ffd5b6004546108e86108df610897565b6003549061087d565b5f5490818102918183041490151715610381576108ba9161088a565b9091905f905f19848209908481029283808410930392808403931461097d5782620f4240111561096b57507fde8f6cefed634549b62c77574f722e1ac57e23f24d8fd5cb790fb65668c261399394620f4240910990828211900360fa1b910360061c170290565b634e487b71905260116020526024601cfd5b505050620f4240919250049056fea164736f6c634300081c000a",
}

// RoundsManagerABI is the input ABI used to generate the binding from.
// Deprecated: Use RoundsManagerMetaData.ABI instead.
var RoundsManagerABI = RoundsManagerMetaData.ABI

// RoundsManagerBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use RoundsManagerMetaData.Bin instead.
var RoundsManagerBin = RoundsManagerMetaData.Bin

// DeployRoundsManager deploys a new Ethereum contract, binding an instance of RoundsManager to it.
func DeployRoundsManager(auth *bind.TransactOpts, backend bind.ContractBackend, _controller common.Address, _roundLength *big.Int, _roundLockAmount *big.Int) (common.Address, *types.Transaction, *RoundsManager, error) {
	parsed, err := RoundsManagerMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(RoundsManagerBin), backend, _controller, _roundLength, _roundLockAmount)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &RoundsManager{RoundsManagerCaller: RoundsManagerCaller{contract: contract}, RoundsManagerTransactor: RoundsManagerTransactor{contract: contract}, RoundsManagerFilterer: RoundsManagerFilterer{contract: contract}}, nil
}

// RoundsManager is an auto generated Go binding around an Ethereum contract.
type RoundsManager struct {
	RoundsManagerCaller     // Read-only binding to the contract
	RoundsManagerTransactor // Write-only binding to the contract
	RoundsManagerFilterer   // Log filterer for contract events
}

// RoundsManagerCaller is an auto generated read-only Go binding around an Ethereum contract.
type RoundsManagerCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RoundsManagerTransactor is an auto generated write-only Go binding around an Ethereum contract.
type RoundsManagerTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RoundsManagerFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type RoundsManagerFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RoundsManagerSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type RoundsManagerSession struct {
	Contract     *RoundsManager    // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// RoundsManagerCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type RoundsManagerCallerSession struct {
	Contract *RoundsManagerCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts        // Call options to use throughout this session
}

// RoundsManagerTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type RoundsManagerTransactorSession struct {
	Contract     *RoundsManagerTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts        // Transaction auth options to use throughout this session
}

// RoundsManagerRaw is an auto generated low-level Go binding around an Ethereum contract.
type RoundsManagerRaw struct {
	Contract *RoundsManager // Generic contract binding to access the raw methods on
}

// RoundsManagerCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type RoundsManagerCallerRaw struct {
	Contract *RoundsManagerCaller // Generic read-only contract binding to access the raw methods on
}

// RoundsManagerTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type RoundsManagerTransactorRaw struct {
	Contract *RoundsManagerTransactor // Generic write-only contract binding to access the raw methods on
}

// NewRoundsManager creates a new instance of RoundsManager, bound to a specific deployed contract.
func NewRoundsManager(address common.Address, backend bind.ContractBackend) (*RoundsManager, error) {
	contract, err := bindRoundsManager(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &RoundsManager{RoundsManagerCaller: RoundsManagerCaller{contract: contract}, RoundsManagerTransactor: RoundsManagerTransactor{contract: contract}, RoundsManagerFilterer: RoundsManagerFilterer{contract: contract}}, nil
}

// NewRoundsManagerCaller creates a new read-only instance of RoundsManager, bound to a specific deployed contract.
func NewRoundsManagerCaller(address common.Address, caller bind.ContractCaller) (*RoundsManagerCaller, error) {
	contract, err := bindRoundsManager(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &RoundsManagerCaller{contract: contract}, nil
}

// NewRoundsManagerTransactor creates a new write-only instance of RoundsManager, bound to a specific deployed contract.
func NewRoundsManagerTransactor(address common.Address, transactor bind.ContractTransactor) (*RoundsManagerTransactor, error) {
	contract, err := bindRoundsManager(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &RoundsManagerTransactor{contract: contract}, nil
}

// NewRoundsManagerFilterer creates a new log filterer instance of RoundsManager, bound to a specific deployed contract.
func NewRoundsManagerFilterer(address common.Address, filterer bind.ContractFilterer) (*RoundsManagerFilterer, error) {
	contract, err := bindRoundsManager(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &RoundsManagerFilterer{contract: contract}, nil
}

// bindRoundsManager binds a generic wrapper to an already deployed contract.
func bindRoundsManager(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := RoundsManagerMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_RoundsManager *RoundsManagerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _RoundsManager.Contract.RoundsManagerCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_RoundsManager *RoundsManagerRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _RoundsManager.Contract.RoundsManagerTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_RoundsManager *RoundsManagerRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _RoundsManager.Contract.RoundsManagerTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_RoundsManager *RoundsManagerCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _RoundsManager.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_RoundsManager *RoundsManagerTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _RoundsManager.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_RoundsManager *RoundsManagerTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _RoundsManager.Contract.contract.Transact(opts, method, params...)
}

// BlockHashForRound is a free data retrieval call binding the contract method 0x3aa4add4.
//
// Solidity: function blockHashForRound(uint256 _round) view returns(bytes32)
func (_RoundsManager *RoundsManagerCaller) BlockHashForRound(opts *bind.CallOpts, _round *big.Int) ([32]byte, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "blockHashForRound", _round)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// BlockHashForRound is a free data retrieval call binding the contract method 0x3aa4add4.
//
// Solidity: function blockHashForRound(uint256 _round) view returns(bytes32)
func (_RoundsManager *RoundsManagerSession) BlockHashForRound(_round *big.Int) ([32]byte, error) {
	return _RoundsManager.Contract.BlockHashForRound(&_RoundsManager.CallOpts, _round)
}

// BlockHashForRound is a free data retrieval call binding the contract method 0x3aa4add4.
//
// Solidity: function blockHashForRound(uint256 _round) view returns(bytes32)
func (_RoundsManager *RoundsManagerCallerSession) BlockHashForRound(_round *big.Int) ([32]byte, error) {
	return _RoundsManager.Contract.BlockHashForRound(&_RoundsManager.CallOpts, _round)
}

// Controller is a free data retrieval call binding the contract method 0xf77c4791.
//
// Solidity: function controller() view returns(address)
func (_RoundsManager *RoundsManagerCaller) Controller(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "controller")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Controller is a free data retrieval call binding the contract method 0xf77c4791.
//
// Solidity: function controller() view returns(address)
func (_RoundsManager *RoundsManagerSession) Controller() (common.Address, error) {
	return _RoundsManager.Contract.Controller(&_RoundsManager.CallOpts)
}

// Controller is a free data retrieval call binding the contract method 0xf77c4791.
//
// Solidity: function controller() view returns(address)
func (_RoundsManager *RoundsManagerCallerSession) Controller() (common.Address, error) {
	return _RoundsManager.Contract.Controller(&_RoundsManager.CallOpts)
}

// CurrentRound is a free data retrieval call binding the contract method 0x8a19c8bc.
//
// Solidity: function currentRound() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) CurrentRound(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "currentRound")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// CurrentRound is a free data retrieval call binding the contract method 0x8a19c8bc.
//
// Solidity: function currentRound() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) CurrentRound() (*big.Int, error) {
	return _RoundsManager.Contract.CurrentRound(&_RoundsManager.CallOpts)
}

// CurrentRound is a free data retrieval call binding the contract method 0x8a19c8bc.
//
// Solidity: function currentRound() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) CurrentRound() (*big.Int, error) {
	return _RoundsManager.Contract.CurrentRound(&_RoundsManager.CallOpts)
}

// CurrentRoundInitialized is a free data retrieval call binding the contract method 0x219bc76c.
//
// Solidity: function currentRoundInitialized() view returns(bool)
func (_RoundsManager *RoundsManagerCaller) CurrentRoundInitialized(opts *bind.CallOpts) (bool, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "currentRoundInitialized")

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// CurrentRoundInitialized is a free data retrieval call binding the contract method 0x219bc76c.
//
// Solidity: function currentRoundInitialized() view returns(bool)
func (_RoundsManager *RoundsManagerSession) CurrentRoundInitialized() (bool, error) {
	return _RoundsManager.Contract.CurrentRoundInitialized(&_RoundsManager.CallOpts)
}

// CurrentRoundInitialized is a free data retrieval call binding the contract method 0x219bc76c.
//
// Solidity: function currentRoundInitialized() view returns(bool)
func (_RoundsManager *RoundsManagerCallerSession) CurrentRoundInitialized() (bool, error) {
	return _RoundsManager.Contract.CurrentRoundInitialized(&_RoundsManager.CallOpts)
}

// CurrentRoundLocked is a free data retrieval call binding the contract method 0x6841f253.
//
// Solidity: function currentRoundLocked() view returns(bool)
func (_RoundsManager *RoundsManagerCaller) CurrentRoundLocked(opts *bind.CallOpts) (bool, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "currentRoundLocked")

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// CurrentRoundLocked is a free data retrieval call binding the contract method 0x6841f253.
//
// Solidity: function currentRoundLocked() view returns(bool)
func (_RoundsManager *RoundsManagerSession) CurrentRoundLocked() (bool, error) {
	return _RoundsManager.Contract.CurrentRoundLocked(&_RoundsManager.CallOpts)
}

// CurrentRoundLocked is a free data retrieval call binding the contract method 0x6841f253.
//
// Solidity: function currentRoundLocked() view returns(bool)
func (_RoundsManager *RoundsManagerCallerSession) CurrentRoundLocked() (bool, error) {
	return _RoundsManager.Contract.CurrentRoundLocked(&_RoundsManager.CallOpts)
}

// CurrentRoundStartBlock is a free data retrieval call binding the contract method 0x8fa148f2.
//
// Solidity: function currentRoundStartBlock() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) CurrentRoundStartBlock(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "currentRoundStartBlock")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// CurrentRoundStartBlock is a free data retrieval call binding the contract method 0x8fa148f2.
//
// Solidity: function currentRoundStartBlock() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) CurrentRoundStartBlock() (*big.Int, error) {
	return _RoundsManager.Contract.CurrentRoundStartBlock(&_RoundsManager.CallOpts)
}

// CurrentRoundStartBlock is a free data retrieval call binding the contract method 0x8fa148f2.
//
// Solidity: function currentRoundStartBlock() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) CurrentRoundStartBlock() (*big.Int, error) {
	return _RoundsManager.Contract.CurrentRoundStartBlock(&_RoundsManager.CallOpts)
}

// LastInitializedRound is a free data retrieval call binding the contract method 0x8807f36e.
//
// Solidity: function lastInitializedRound() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) LastInitializedRound(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "lastInitializedRound")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// LastInitializedRound is a free data retrieval call binding the contract method 0x8807f36e.
//
// Solidity: function lastInitializedRound() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) LastInitializedRound() (*big.Int, error) {
	return _RoundsManager.Contract.LastInitializedRound(&_RoundsManager.CallOpts)
}

// LastInitializedRound is a free data retrieval call binding the contract method 0x8807f36e.
//
// Solidity: function lastInitializedRound() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) LastInitializedRound() (*big.Int, error) {
	return _RoundsManager.Contract.LastInitializedRound(&_RoundsManager.CallOpts)
}

// LastRoundLengthUpdateRound is a free data retrieval call binding the contract method 0x0fe1dfa8.
//
// Solidity: function lastRoundLengthUpdateRound() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) LastRoundLengthUpdateRound(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "lastRoundLengthUpdateRound")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// LastRoundLengthUpdateRound is a free data retrieval call binding the contract method 0x0fe1dfa8.
//
// Solidity: function lastRoundLengthUpdateRound() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) LastRoundLengthUpdateRound() (*big.Int, error) {
	return _RoundsManager.Contract.LastRoundLengthUpdateRound(&_RoundsManager.CallOpts)
}

// LastRoundLengthUpdateRound is a free data retrieval call binding the contract method 0x0fe1dfa8.
//
// Solidity: function lastRoundLengthUpdateRound() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) LastRoundLengthUpdateRound() (*big.Int, error) {
	return _RoundsManager.Contract.LastRoundLengthUpdateRound(&_RoundsManager.CallOpts)
}

// LastRoundLengthUpdateStartBlock is a free data retrieval call binding the contract method 0x668abff7.
//
// Solidity: function lastRoundLengthUpdateStartBlock() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) LastRoundLengthUpdateStartBlock(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "lastRoundLengthUpdateStartBlock")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// LastRoundLengthUpdateStartBlock is a free data retrieval call binding the contract method 0x668abff7.
//
// Solidity: function lastRoundLengthUpdateStartBlock() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) LastRoundLengthUpdateStartBlock() (*big.Int, error) {
	return _RoundsManager.Contract.LastRoundLengthUpdateStartBlock(&_RoundsManager.CallOpts)
}

// LastRoundLengthUpdateStartBlock is a free data retrieval call binding the contract method 0x668abff7.
//
// Solidity: function lastRoundLengthUpdateStartBlock() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) LastRoundLengthUpdateStartBlock() (*big.Int, error) {
	return _RoundsManager.Contract.LastRoundLengthUpdateStartBlock(&_RoundsManager.CallOpts)
}

// RoundLength is a free data retrieval call binding the contract method 0x8b649b94.
//
// Solidity: function roundLength() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) RoundLength(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "roundLength")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// RoundLength is a free data retrieval call binding the contract method 0x8b649b94.
//
// Solidity: function roundLength() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) RoundLength() (*big.Int, error) {
	return _RoundsManager.Contract.RoundLength(&_RoundsManager.CallOpts)
}

// RoundLength is a free data retrieval call binding the contract method 0x8b649b94.
//
// Solidity: function roundLength() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) RoundLength() (*big.Int, error) {
	return _RoundsManager.Contract.RoundLength(&_RoundsManager.CallOpts)
}

// RoundLockAmount is a free data retrieval call binding the contract method 0xf5b490d5.
//
// Solidity: function roundLockAmount() view returns(uint256)
func (_RoundsManager *RoundsManagerCaller) RoundLockAmount(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _RoundsManager.contract.Call(opts, &out, "roundLockAmount")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// RoundLockAmount is a free data retrieval call binding the contract method 0xf5b490d5.
//
// Solidity: function roundLockAmount() view returns(uint256)
func (_RoundsManager *RoundsManagerSession) RoundLockAmount() (*big.Int, error) {
	return _RoundsManager.Contract.RoundLockAmount(&_RoundsManager.CallOpts)
}

// RoundLockAmount is a free data retrieval call binding the contract method 0xf5b490d5.
//
// Solidity: function roundLockAmount() view returns(uint256)
func (_RoundsManager *RoundsManagerCallerSession) RoundLockAmount() (*big.Int, error) {
	return _RoundsManager.Contract.RoundLockAmount(&_RoundsManager.CallOpts)
}

// InitializeRound is a paid mutator transaction binding the contract method 0xd4807fb2.
//
// Solidity: function initializeRound() returns()
func (_RoundsManager *RoundsManagerTransactor) InitializeRound(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _RoundsManager.contract.Transact(opts, "initializeRound")
}

// InitializeRound is a paid mutator transaction binding the contract method 0xd4807fb2.
//
// Solidity: function initializeRound() returns()
func (_RoundsManager *RoundsManagerSession) InitializeRound() (*types.Transaction, error) {
	return _RoundsManager.Contract.InitializeRound(&_RoundsManager.TransactOpts)
}

// InitializeRound is a paid mutator transaction binding the contract method 0xd4807fb2.
//
// Solidity: function initializeRound() returns()
func (_RoundsManager *RoundsManagerTransactorSession) InitializeRound() (*types.Transaction, error) {
	return _RoundsManager.Contract.InitializeRound(&_RoundsManager.TransactOpts)
}

// SetRoundLength is a paid mutator transaction binding the contract method 0x681312f5.
//
// Solidity: function setRoundLength(uint256 _roundLength) returns()
func (_RoundsManager *RoundsManagerTransactor) SetRoundLength(opts *bind.TransactOpts, _roundLength *big.Int) (*types.Transaction, error) {
	return _RoundsManager.contract.Transact(opts, "setRoundLength", _roundLength)
}

// SetRoundLength is a paid mutator transaction binding the contract method 0x681312f5.
//
// Solidity: function setRoundLength(uint256 _roundLength) returns()
func (_RoundsManager *RoundsManagerSession) SetRoundLength(_roundLength *big.Int) (*types.Transaction, error) {
	return _RoundsManager.Contract.SetRoundLength(&_RoundsManager.TransactOpts, _roundLength)
}

// SetRoundLength is a paid mutator transaction binding the contract method 0x681312f5.
//
// Solidity: function setRoundLength(uint256 _roundLength) returns()
func (_RoundsManager *RoundsManagerTransactorSession) SetRoundLength(_roundLength *big.Int) (*types.Transaction, error) {
	return _RoundsManager.Contract.SetRoundLength(&_RoundsManager.TransactOpts, _roundLength)
}

// SetRoundLockAmount is a paid mutator transaction binding the contract method 0x0b1573b8.
//
// Solidity: function setRoundLockAmount(uint256 _roundLockAmount) returns()
func (_RoundsManager *RoundsManagerTransactor) SetRoundLockAmount(opts *bind.TransactOpts, _roundLockAmount *big.Int) (*types.Transaction, error) {
	return _RoundsManager.contract.Transact(opts, "setRoundLockAmount", _roundLockAmount)
}

// SetRoundLockAmount is a paid mutator transaction binding the contract method 0x0b1573b8.
//
// Solidity: function setRoundLockAmount(uint256 _roundLockAmount) returns()
func (_RoundsManager *RoundsManagerSession) SetRoundLockAmount(_roundLockAmount *big.Int) (*types.Transaction, error) {
	return _RoundsManager.Contract.SetRoundLockAmount(&_RoundsManager.TransactOpts, _roundLockAmount)
}

// SetRoundLockAmount is a paid mutator transaction binding the contract method 0x0b1573b8.
//
// Solidity: function setRoundLockAmount(uint256 _roundLockAmount) returns()
func (_RoundsManager *RoundsManagerTransactorSession) SetRoundLockAmount(_roundLockAmount *big.Int) (*types.Transaction, error) {
	return _RoundsManager.Contract.SetRoundLockAmount(&_RoundsManager.TransactOpts, _roundLockAmount)
}

// RoundsManagerNewRoundIterator is returned from FilterNewRound and is used to iterate over the raw logs and unpacked data for NewRound events raised by the RoundsManager contract.
type RoundsManagerNewRoundIterator struct {
	Event *RoundsManagerNewRound // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RoundsManagerNewRoundIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RoundsManagerNewRound)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RoundsManagerNewRound)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RoundsManagerNewRoundIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RoundsManagerNewRoundIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RoundsManagerNewRound represents a NewRound event raised by the RoundsManager contract.
type RoundsManagerNewRound struct {
	Round     *big.Int
	BlockHash [32]byte
	Raw       types.Log // Blockchain specific contextual infos
}

// FilterNewRound is a free log retrieval operation binding the contract event 0x22f2fc17c5daf07db2379b3a03a8ef20a183f761097a58fce219c8a14619e786.
//
// Solidity: event NewRound(uint256 indexed round, bytes32 blockHash)
func (_RoundsManager *RoundsManagerFilterer) FilterNewRound(opts *bind.FilterOpts, round []*big.Int) (*RoundsManagerNewRoundIterator, error) {

	var roundRule []interface{}
	for _, roundItem := range round {
		roundRule = append(roundRule, roundItem)
	}

	logs, sub, err := _RoundsManager.contract.FilterLogs(opts, "NewRound", roundRule)
	if err != nil {
		return nil, err
	}
	return &RoundsManagerNewRoundIterator{contract: _RoundsManager.contract, event: "NewRound", logs: logs, sub: sub}, nil
}

// WatchNewRound is a free log subscription operation binding the contract event 0x22f2fc17c5daf07db2379b3a03a8ef20a183f761097a58fce219c8a14619e786.
//
// Solidity: event NewRound(uint256 indexed round, bytes32 blockHash)
func (_RoundsManager *RoundsManagerFilterer) WatchNewRound(opts *bind.WatchOpts, sink chan<- *RoundsManagerNewRound, round []*big.Int) (event.Subscription, error) {

	var roundRule []interface{}
	for _, roundItem := range round {
		roundRule = append(roundRule, roundItem)
	}

	logs, sub, err := _RoundsManager.contract.WatchLogs(opts, "NewRound", roundRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RoundsManagerNewRound)
				if err := _RoundsManager.contract.UnpackLog(event, "NewRound", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseNewRound is a log parse operation binding the contract event 0x22f2fc17c5daf07db2379b3a03a8ef20a183f761097a58fce219c8a14619e786.
//
// Solidity: event NewRound(uint256 indexed round, bytes32 blockHash)
func (_RoundsManager *RoundsManagerFilterer) ParseNewRound(log types.Log) (*RoundsManagerNewRound, error) {
	event := new(RoundsManagerNewRound)
	if err := _RoundsManager.contract.UnpackLog(event, "NewRound", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RoundsManagerParameterUpdateIterator is returned from FilterParameterUpdate and is used to iterate over the raw logs and unpacked data for ParameterUpdate events raised by the RoundsManager contract.
type RoundsManagerParameterUpdateIterator struct {
	Event *RoundsManagerParameterUpdate // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *RoundsManagerParameterUpdateIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RoundsManagerParameterUpdate)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(RoundsManagerParameterUpdate)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *RoundsManagerParameterUpdateIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RoundsManagerParameterUpdateIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RoundsManagerParameterUpdate represents a ParameterUpdate event raised by the RoundsManager contract.
type RoundsManagerParameterUpdate struct {
	Param string
	Raw   types.Log // Blockchain specific contextual infos
}

// FilterParameterUpdate is a free log retrieval operation binding the contract event 0x9f5033568d78ae30f29f01e944f97b2216493bd19d1b46d429673acff3dcd674.
//
// Solidity: event ParameterUpdate(string param)
func (_RoundsManager *RoundsManagerFilterer) FilterParameterUpdate(opts *bind.FilterOpts) (*RoundsManagerParameterUpdateIterator, error) {

	logs, sub, err := _RoundsManager.contract.FilterLogs(opts, "ParameterUpdate")
	if err != nil {
		return nil, err
	}
	return &RoundsManagerParameterUpdateIterator{contract: _RoundsManager.contract, event: "ParameterUpdate", logs: logs, sub: sub}, nil
}

// WatchParameterUpdate is a free log subscription operation binding the contract event 0x9f5033568d78ae30f29f01e944f97b2216493bd19d1b46d429673acff3dcd674.
//
// Solidity: event ParameterUpdate(string param)
func (_RoundsManager *RoundsManagerFilterer) WatchParameterUpdate(opts *bind.WatchOpts, sink chan<- *RoundsManagerParameterUpdate) (event.Subscription, error) {

	logs, sub, err := _RoundsManager.contract.WatchLogs(opts, "ParameterUpdate")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RoundsManagerParameterUpdate)
				if err := _RoundsManager.contract.UnpackLog(event, "ParameterUpdate", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseParameterUpdate is a log parse operation binding the contract event 0x9f5033568d78ae30f29f01e944f97b2216493bd19d1b46d429673acff3dcd674.
//
// Solidity: event ParameterUpdate(string param)
func (_RoundsManager *RoundsManagerFilterer) ParseParameterUpdate(log types.Log) (*RoundsManagerParameterUpdate, error) {
	event := new(RoundsManagerParameterUpdate)
	if err := _RoundsManager.contract.UnpackLog(event, "ParameterUpdate", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
