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

// VerifierRequest is an auto generated low-level Go binding around an user-defined struct.
type VerifierRequest struct {
	JobId         uint64
	ClaimId       uint64
	SegmentNumber uint64
	Answered      bool
	Pass          bool
}

// VerifierMetaData contains all meta data concerning the Verifier contract.
var VerifierMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_controller\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint8\",\"name\":\"bits\",\"type\":\"uint8\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"SafeCastOverflowedUintDowncast\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"solver\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"trusted\",\"type\":\"bool\"}],\"name\":\"SolverSet\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"requestId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"jobId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"claimId\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"segmentNumber\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"streamId\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"transcodingOptions\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"dataHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"transcodedDataHash\",\"type\":\"bytes32\"}],\"name\":\"VerificationRequested\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"requestId\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"solver\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"bool\",\"name\":\"pass\",\"type\":\"bool\"}],\"name\":\"VerificationResultSubmitted\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"controller\",\"outputs\":[{\"internalType\":\"contractIController\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"_requestId\",\"type\":\"uint256\"}],\"name\":\"getRequest\",\"outputs\":[{\"components\":[{\"internalType\":\"uint64\",\"name\":\"jobId\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"claimId\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"segmentNumber\",\"type\":\"uint64\"},{\"internalType\":\"bool\",\"name\":\"answered\",\"type\":\"bool\"},{\"internalType\":\"bool\",\"name\":\"pass\",\"type\":\"bool\"}],\"internalType\":\"structVerifier.Request\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isSolver\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"numRequests\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"_jobId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"_claimId\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"_segmentNumber\",\"type\":\"uint256\"},{\"internalType\":\"string\",\"name\":\"_streamId\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"_transcodingOptions\",\"type\":\"string\"},{\"internalType\":\"bytes32\",\"name\":\"_dataHash\",\"type\":\"bytes32\"},{\"internalType\":\"bytes32\",\"name\":\"_transcodedDataHash\",\"type\":\"bytes32\"}],\"name\":\"requestVerification\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"requestId\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_solver\",\"type\":\"address\"},{\"internalType\":\"bool\",\"name\":\"_trusted\",\"type\":\"bool\"}],\"name\":\"setSolver\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"_requestId\",\"type\":\"uint256\"},{\"internalType\":\"bool\",\"name\":\"_pass\",\"type\":\"bool\"}],\"name\":\"submitResult\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x60a0346100c057601f610c5a38819003918201601f19168301916001600160401b038311848410176100c4578084926020946040528339810103126100c057516001600160a01b038116908190036100c057801561008657608052604051610b8190816100d9823960805181818160800152818161018f015281816104ba015261071f0152f35b60405162461bcd60e51b8152602060048201526012602482015271636f6e74726f6c6c6572206973207a65726f60701b6044820152606490fd5b5f80fd5b634e487b7160e01b5f52604160045260245ffdfe6080806040526004361015610012575f80fd5b5f905f3560e01c90816302cc250d14610969575080630c48c079146106f35780639fb42b1f146106d5578063c58343ef14610600578063d5add90614610480578063ef95956b146100b25763f77c47911461006b575f80fd5b346100af57806003193601126100af576040517f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03168152602090f35b80fd5b50346100af5760e03660031901126100af57604435906024356004356064356001600160401b03811161047c576100ed9036906004016109c6565b90946084356001600160401b0381116104785761010e9036906004016109c6565b9096604051604081018181106001600160401b03821117610464576040908152601a82527f63616c6c6572206d757374206265204a6f62734d616e6167657200000000000060208084019182529151631c2d8fb360e31b81527f3d7456535a3155a46f15a2313c3915bd07137ffdc56464f4fc9a82bae7215c2d60048201527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b0316939281602481875afa908115610459578b9161042a575b506001600160a01b031633036103ee575050602060049160405192838092635c975abb60e01b82525afa9081156103e357906102129189916103b4575b5015610a5b565b6001549661021f86610b43565b61022888610b43565b61023186610b43565b906001600160401b0360405193610247856109f3565b1683526001600160401b0360208401911681526001600160401b03604084019216825260608301918483526080840193858552680100000000000000008d10156103a05760018d0160015561029b8d610ad8565b96909661038c575051855492519151935194516001600160d01b03199093166001600160401b03919091161760409190911b6fffffffffffffffff0000000000000000161760809290921b67ffffffffffffffff60801b169190911791151560c01b60ff60c01b169190911790151560c81b60ff60c81b1617905560209787947f54cdda59131ecf9665af6e8b9b2afbcf5d6b8bb2730dbf02716487830b015389949093909261037192919061036390604051968796875260a08e88015260a0870191610b23565b918483036040860152610b23565b60a435606083015260c43560808301520390a4604051908152f35b634e487b7160e01b81526004819052602490fd5b634e487b7160e01b86526041600452602486fd5b6103d6915060203d6020116103dc575b6103ce8183610a22565b810190610a43565b5f61020b565b503d6103c4565b6040513d8a823e3d90fd5b899160449160405193849262461bcd60e51b8452602060048501525180928160248601528585015e828201840152601f01601f19168101030190fd5b61044c915060203d602011610452575b6104448183610a22565b810190610b04565b5f6101ce565b503d61043a565b6040513d8d823e3d90fd5b634e487b7160e01b89526041600452602489fd5b8580fd5b8380fd5b50346100af5760403660031901126100af5761049a6109a1565b6104a26109b7565b604051638da5cb5b60e01b81529091906020816004817f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03165afa9081156105f55784916105d6575b506001600160a01b03163303610591576001600160a01b031690811561055b5760207fef6d3dedef1168146bf7591146ff643d53d927e0da14d102bfee4740029269c591838552848252604085209015159060ff1981541660ff8316179055604051908152a280f35b60405162461bcd60e51b815260206004820152600e60248201526d736f6c766572206973207a65726f60901b6044820152606490fd5b60405162461bcd60e51b815260206004820152601f60248201527f63616c6c6572206d75737420626520436f6e74726f6c6c6572206f776e6572006044820152606490fd5b6105ef915060203d602011610452576104448183610a22565b5f6104f2565b6040513d86823e3d90fd5b50346100af5760203660031901126100af5761065360a09160043590608060405161062a816109f3565b828152826020820152826040820152826060820152015261064e6001548210610a9a565b610ad8565b5060405190610661826109f3565b546001600160401b038116918281526001600160401b0360208201818460401c168152816040840191818660801c16835260ff60806060870196828960c01c1615158852019660c81c1615158652604051968752511660208601525116604084015251151560608301525115156080820152f35b50346100af57806003193601126100af576020600154604051908152f35b50346108bc5760403660031901126108bc576004356107106109b7565b604051635c975abb60e01b81527f00000000000000000000000000000000000000000000000000000000000000006001600160a01b03169190602081600481865afa80156108b157610769915f916103b4575015610a5b565b335f525f60205260ff60405f205416156109245761078a6001548410610a9a565b61079383610ad8565b509182549060ff8260c01c166108df5761ffff60c01b1990911682151560c81b60ff60c81b1617600160c01b17835560249160209190604051901515958682527fbaa2bcc5d89b42a0c5544bed60be199856770d558220c16be05d8e1c95867759843393a3604051631c2d8fb360e31b81527f3d7456535a3155a46f15a2313c3915bd07137ffdc56464f4fc9a82bae7215c2d600482015292839182905afa9081156108b1575f916108c0575b5060018060a01b03169054813b156108bc5760846001600160401b03915f80946040519687958694631e0976f360e01b86528181166004870152818160401c16602487015260801c16604485015260648401525af180156108b1576108a3575080f35b6108af91505f90610a22565b005b6040513d5f823e3d90fd5b5f80fd5b6108d9915060203d602011610452576104448183610a22565b5f610840565b60405162461bcd60e51b815260206004820152601860248201527f7265717565737420616c726561647920616e73776572656400000000000000006044820152606490fd5b60405162461bcd60e51b815260206004820152601e60248201527f63616c6c6572206973206e6f742061207472757374656420736f6c76657200006044820152606490fd5b346108bc5760203660031901126108bc576020906001600160a01b0361098d6109a1565b165f525f825260ff60405f20541615158152f35b600435906001600160a01b03821682036108bc57565b6024359081151582036108bc57565b9181601f840112156108bc578235916001600160401b0383116108bc57602083818601950101116108bc57565b60a081019081106001600160401b03821117610a0e57604052565b634e487b7160e01b5f52604160045260245ffd5b90601f801991011681019081106001600160401b03821117610a0e57604052565b908160209103126108bc575180151581036108bc5790565b15610a6257565b60405162461bcd60e51b815260206004820152601060248201526f1cde5cdd195b481a5cc81c185d5cd95960821b6044820152606490fd5b15610aa157565b60405162461bcd60e51b815260206004820152600f60248201526e1b9bc81cdd58da081c995c5d595cdd608a1b6044820152606490fd5b600154811015610af05760015f5260205f2001905f90565b634e487b7160e01b5f52603260045260245ffd5b908160209103126108bc57516001600160a01b03811681036108bc5790565b908060209392818452848401375f828201840152601f01601f1916010190565b6001600160401b038111610b5d576001600160401b031690565b6306dfcc6560e41b5f52604060045260245260445ffdfea164736f6c634300081c000a",
}

// VerifierABI is the input ABI used to generate the binding from.
// Deprecated: Use VerifierMetaData.ABI instead.
var VerifierABI = VerifierMetaData.ABI

// VerifierBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use VerifierMetaData.Bin instead.
var VerifierBin = VerifierMetaData.Bin

// DeployVerifier deploys a new Ethereum contract, binding an instance of Verifier to it.
func DeployVerifier(auth *bind.TransactOpts, backend bind.ContractBackend, _controller common.Address) (common.Address, *types.Transaction, *Verifier, error) {
	parsed, err := VerifierMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(VerifierBin), backend, _controller)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &Verifier{VerifierCaller: VerifierCaller{contract: contract}, VerifierTransactor: VerifierTransactor{contract: contract}, VerifierFilterer: VerifierFilterer{contract: contract}}, nil
}

// Verifier is an auto generated Go binding around an Ethereum contract.
type Verifier struct {
	VerifierCaller     // Read-only binding to the contract
	VerifierTransactor // Write-only binding to the contract
	VerifierFilterer   // Log filterer for contract events
}

// VerifierCaller is an auto generated read-only Go binding around an Ethereum contract.
type VerifierCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// VerifierTransactor is an auto generated write-only Go binding around an Ethereum contract.
type VerifierTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// VerifierFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type VerifierFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// VerifierSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type VerifierSession struct {
	Contract     *Verifier         // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// VerifierCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type VerifierCallerSession struct {
	Contract *VerifierCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts   // Call options to use throughout this session
}

// VerifierTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type VerifierTransactorSession struct {
	Contract     *VerifierTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts   // Transaction auth options to use throughout this session
}

// VerifierRaw is an auto generated low-level Go binding around an Ethereum contract.
type VerifierRaw struct {
	Contract *Verifier // Generic contract binding to access the raw methods on
}

// VerifierCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type VerifierCallerRaw struct {
	Contract *VerifierCaller // Generic read-only contract binding to access the raw methods on
}

// VerifierTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type VerifierTransactorRaw struct {
	Contract *VerifierTransactor // Generic write-only contract binding to access the raw methods on
}

// NewVerifier creates a new instance of Verifier, bound to a specific deployed contract.
func NewVerifier(address common.Address, backend bind.ContractBackend) (*Verifier, error) {
	contract, err := bindVerifier(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &Verifier{VerifierCaller: VerifierCaller{contract: contract}, VerifierTransactor: VerifierTransactor{contract: contract}, VerifierFilterer: VerifierFilterer{contract: contract}}, nil
}

// NewVerifierCaller creates a new read-only instance of Verifier, bound to a specific deployed contract.
func NewVerifierCaller(address common.Address, caller bind.ContractCaller) (*VerifierCaller, error) {
	contract, err := bindVerifier(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &VerifierCaller{contract: contract}, nil
}

// NewVerifierTransactor creates a new write-only instance of Verifier, bound to a specific deployed contract.
func NewVerifierTransactor(address common.Address, transactor bind.ContractTransactor) (*VerifierTransactor, error) {
	contract, err := bindVerifier(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &VerifierTransactor{contract: contract}, nil
}

// NewVerifierFilterer creates a new log filterer instance of Verifier, bound to a specific deployed contract.
func NewVerifierFilterer(address common.Address, filterer bind.ContractFilterer) (*VerifierFilterer, error) {
	contract, err := bindVerifier(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &VerifierFilterer{contract: contract}, nil
}

// bindVerifier binds a generic wrapper to an already deployed contract.
func bindVerifier(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := VerifierMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Verifier *VerifierRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Verifier.Contract.VerifierCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Verifier *VerifierRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Verifier.Contract.VerifierTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Verifier *VerifierRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Verifier.Contract.VerifierTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Verifier *VerifierCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Verifier.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Verifier *VerifierTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Verifier.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Verifier *VerifierTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Verifier.Contract.contract.Transact(opts, method, params...)
}

// Controller is a free data retrieval call binding the contract method 0xf77c4791.
//
// Solidity: function controller() view returns(address)
func (_Verifier *VerifierCaller) Controller(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Verifier.contract.Call(opts, &out, "controller")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Controller is a free data retrieval call binding the contract method 0xf77c4791.
//
// Solidity: function controller() view returns(address)
func (_Verifier *VerifierSession) Controller() (common.Address, error) {
	return _Verifier.Contract.Controller(&_Verifier.CallOpts)
}

// Controller is a free data retrieval call binding the contract method 0xf77c4791.
//
// Solidity: function controller() view returns(address)
func (_Verifier *VerifierCallerSession) Controller() (common.Address, error) {
	return _Verifier.Contract.Controller(&_Verifier.CallOpts)
}

// GetRequest is a free data retrieval call binding the contract method 0xc58343ef.
//
// Solidity: function getRequest(uint256 _requestId) view returns((uint64,uint64,uint64,bool,bool))
func (_Verifier *VerifierCaller) GetRequest(opts *bind.CallOpts, _requestId *big.Int) (VerifierRequest, error) {
	var out []interface{}
	err := _Verifier.contract.Call(opts, &out, "getRequest", _requestId)

	if err != nil {
		return *new(VerifierRequest), err
	}

	out0 := *abi.ConvertType(out[0], new(VerifierRequest)).(*VerifierRequest)

	return out0, err

}

// GetRequest is a free data retrieval call binding the contract method 0xc58343ef.
//
// Solidity: function getRequest(uint256 _requestId) view returns((uint64,uint64,uint64,bool,bool))
func (_Verifier *VerifierSession) GetRequest(_requestId *big.Int) (VerifierRequest, error) {
	return _Verifier.Contract.GetRequest(&_Verifier.CallOpts, _requestId)
}

// GetRequest is a free data retrieval call binding the contract method 0xc58343ef.
//
// Solidity: function getRequest(uint256 _requestId) view returns((uint64,uint64,uint64,bool,bool))
func (_Verifier *VerifierCallerSession) GetRequest(_requestId *big.Int) (VerifierRequest, error) {
	return _Verifier.Contract.GetRequest(&_Verifier.CallOpts, _requestId)
}

// IsSolver is a free data retrieval call binding the contract method 0x02cc250d.
//
// Solidity: function isSolver(address ) view returns(bool)
func (_Verifier *VerifierCaller) IsSolver(opts *bind.CallOpts, arg0 common.Address) (bool, error) {
	var out []interface{}
	err := _Verifier.contract.Call(opts, &out, "isSolver", arg0)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsSolver is a free data retrieval call binding the contract method 0x02cc250d.
//
// Solidity: function isSolver(address ) view returns(bool)
func (_Verifier *VerifierSession) IsSolver(arg0 common.Address) (bool, error) {
	return _Verifier.Contract.IsSolver(&_Verifier.CallOpts, arg0)
}

// IsSolver is a free data retrieval call binding the contract method 0x02cc250d.
//
// Solidity: function isSolver(address ) view returns(bool)
func (_Verifier *VerifierCallerSession) IsSolver(arg0 common.Address) (bool, error) {
	return _Verifier.Contract.IsSolver(&_Verifier.CallOpts, arg0)
}

// NumRequests is a free data retrieval call binding the contract method 0x9fb42b1f.
//
// Solidity: function numRequests() view returns(uint256)
func (_Verifier *VerifierCaller) NumRequests(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Verifier.contract.Call(opts, &out, "numRequests")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// NumRequests is a free data retrieval call binding the contract method 0x9fb42b1f.
//
// Solidity: function numRequests() view returns(uint256)
func (_Verifier *VerifierSession) NumRequests() (*big.Int, error) {
	return _Verifier.Contract.NumRequests(&_Verifier.CallOpts)
}

// NumRequests is a free data retrieval call binding the contract method 0x9fb42b1f.
//
// Solidity: function numRequests() view returns(uint256)
func (_Verifier *VerifierCallerSession) NumRequests() (*big.Int, error) {
	return _Verifier.Contract.NumRequests(&_Verifier.CallOpts)
}

// RequestVerification is a paid mutator transaction binding the contract method 0xef95956b.
//
// Solidity: function requestVerification(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber, string _streamId, string _transcodingOptions, bytes32 _dataHash, bytes32 _transcodedDataHash) returns(uint256 requestId)
func (_Verifier *VerifierTransactor) RequestVerification(opts *bind.TransactOpts, _jobId *big.Int, _claimId *big.Int, _segmentNumber *big.Int, _streamId string, _transcodingOptions string, _dataHash [32]byte, _transcodedDataHash [32]byte) (*types.Transaction, error) {
	return _Verifier.contract.Transact(opts, "requestVerification", _jobId, _claimId, _segmentNumber, _streamId, _transcodingOptions, _dataHash, _transcodedDataHash)
}

// RequestVerification is a paid mutator transaction binding the contract method 0xef95956b.
//
// Solidity: function requestVerification(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber, string _streamId, string _transcodingOptions, bytes32 _dataHash, bytes32 _transcodedDataHash) returns(uint256 requestId)
func (_Verifier *VerifierSession) RequestVerification(_jobId *big.Int, _claimId *big.Int, _segmentNumber *big.Int, _streamId string, _transcodingOptions string, _dataHash [32]byte, _transcodedDataHash [32]byte) (*types.Transaction, error) {
	return _Verifier.Contract.RequestVerification(&_Verifier.TransactOpts, _jobId, _claimId, _segmentNumber, _streamId, _transcodingOptions, _dataHash, _transcodedDataHash)
}

// RequestVerification is a paid mutator transaction binding the contract method 0xef95956b.
//
// Solidity: function requestVerification(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber, string _streamId, string _transcodingOptions, bytes32 _dataHash, bytes32 _transcodedDataHash) returns(uint256 requestId)
func (_Verifier *VerifierTransactorSession) RequestVerification(_jobId *big.Int, _claimId *big.Int, _segmentNumber *big.Int, _streamId string, _transcodingOptions string, _dataHash [32]byte, _transcodedDataHash [32]byte) (*types.Transaction, error) {
	return _Verifier.Contract.RequestVerification(&_Verifier.TransactOpts, _jobId, _claimId, _segmentNumber, _streamId, _transcodingOptions, _dataHash, _transcodedDataHash)
}

// SetSolver is a paid mutator transaction binding the contract method 0xd5add906.
//
// Solidity: function setSolver(address _solver, bool _trusted) returns()
func (_Verifier *VerifierTransactor) SetSolver(opts *bind.TransactOpts, _solver common.Address, _trusted bool) (*types.Transaction, error) {
	return _Verifier.contract.Transact(opts, "setSolver", _solver, _trusted)
}

// SetSolver is a paid mutator transaction binding the contract method 0xd5add906.
//
// Solidity: function setSolver(address _solver, bool _trusted) returns()
func (_Verifier *VerifierSession) SetSolver(_solver common.Address, _trusted bool) (*types.Transaction, error) {
	return _Verifier.Contract.SetSolver(&_Verifier.TransactOpts, _solver, _trusted)
}

// SetSolver is a paid mutator transaction binding the contract method 0xd5add906.
//
// Solidity: function setSolver(address _solver, bool _trusted) returns()
func (_Verifier *VerifierTransactorSession) SetSolver(_solver common.Address, _trusted bool) (*types.Transaction, error) {
	return _Verifier.Contract.SetSolver(&_Verifier.TransactOpts, _solver, _trusted)
}

// SubmitResult is a paid mutator transaction binding the contract method 0x0c48c079.
//
// Solidity: function submitResult(uint256 _requestId, bool _pass) returns()
func (_Verifier *VerifierTransactor) SubmitResult(opts *bind.TransactOpts, _requestId *big.Int, _pass bool) (*types.Transaction, error) {
	return _Verifier.contract.Transact(opts, "submitResult", _requestId, _pass)
}

// SubmitResult is a paid mutator transaction binding the contract method 0x0c48c079.
//
// Solidity: function submitResult(uint256 _requestId, bool _pass) returns()
func (_Verifier *VerifierSession) SubmitResult(_requestId *big.Int, _pass bool) (*types.Transaction, error) {
	return _Verifier.Contract.SubmitResult(&_Verifier.TransactOpts, _requestId, _pass)
}

// SubmitResult is a paid mutator transaction binding the contract method 0x0c48c079.
//
// Solidity: function submitResult(uint256 _requestId, bool _pass) returns()
func (_Verifier *VerifierTransactorSession) SubmitResult(_requestId *big.Int, _pass bool) (*types.Transaction, error) {
	return _Verifier.Contract.SubmitResult(&_Verifier.TransactOpts, _requestId, _pass)
}

// VerifierSolverSetIterator is returned from FilterSolverSet and is used to iterate over the raw logs and unpacked data for SolverSet events raised by the Verifier contract.
type VerifierSolverSetIterator struct {
	Event *VerifierSolverSet // Event containing the contract specifics and raw log

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
func (it *VerifierSolverSetIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(VerifierSolverSet)
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
		it.Event = new(VerifierSolverSet)
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
func (it *VerifierSolverSetIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *VerifierSolverSetIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// VerifierSolverSet represents a SolverSet event raised by the Verifier contract.
type VerifierSolverSet struct {
	Solver  common.Address
	Trusted bool
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterSolverSet is a free log retrieval operation binding the contract event 0xef6d3dedef1168146bf7591146ff643d53d927e0da14d102bfee4740029269c5.
//
// Solidity: event SolverSet(address indexed solver, bool trusted)
func (_Verifier *VerifierFilterer) FilterSolverSet(opts *bind.FilterOpts, solver []common.Address) (*VerifierSolverSetIterator, error) {

	var solverRule []interface{}
	for _, solverItem := range solver {
		solverRule = append(solverRule, solverItem)
	}

	logs, sub, err := _Verifier.contract.FilterLogs(opts, "SolverSet", solverRule)
	if err != nil {
		return nil, err
	}
	return &VerifierSolverSetIterator{contract: _Verifier.contract, event: "SolverSet", logs: logs, sub: sub}, nil
}

// WatchSolverSet is a free log subscription operation binding the contract event 0xef6d3dedef1168146bf7591146ff643d53d927e0da14d102bfee4740029269c5.
//
// Solidity: event SolverSet(address indexed solver, bool trusted)
func (_Verifier *VerifierFilterer) WatchSolverSet(opts *bind.WatchOpts, sink chan<- *VerifierSolverSet, solver []common.Address) (event.Subscription, error) {

	var solverRule []interface{}
	for _, solverItem := range solver {
		solverRule = append(solverRule, solverItem)
	}

	logs, sub, err := _Verifier.contract.WatchLogs(opts, "SolverSet", solverRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(VerifierSolverSet)
				if err := _Verifier.contract.UnpackLog(event, "SolverSet", log); err != nil {
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

// ParseSolverSet is a log parse operation binding the contract event 0xef6d3dedef1168146bf7591146ff643d53d927e0da14d102bfee4740029269c5.
//
// Solidity: event SolverSet(address indexed solver, bool trusted)
func (_Verifier *VerifierFilterer) ParseSolverSet(log types.Log) (*VerifierSolverSet, error) {
	event := new(VerifierSolverSet)
	if err := _Verifier.contract.UnpackLog(event, "SolverSet", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// VerifierVerificationRequestedIterator is returned from FilterVerificationRequested and is used to iterate over the raw logs and unpacked data for VerificationRequested events raised by the Verifier contract.
type VerifierVerificationRequestedIterator struct {
	Event *VerifierVerificationRequested // Event containing the contract specifics and raw log

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
func (it *VerifierVerificationRequestedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(VerifierVerificationRequested)
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
		it.Event = new(VerifierVerificationRequested)
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
func (it *VerifierVerificationRequestedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *VerifierVerificationRequestedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// VerifierVerificationRequested represents a VerificationRequested event raised by the Verifier contract.
type VerifierVerificationRequested struct {
	RequestId          *big.Int
	JobId              *big.Int
	ClaimId            *big.Int
	SegmentNumber      *big.Int
	StreamId           string
	TranscodingOptions string
	DataHash           [32]byte
	TranscodedDataHash [32]byte
	Raw                types.Log // Blockchain specific contextual infos
}

// FilterVerificationRequested is a free log retrieval operation binding the contract event 0x54cdda59131ecf9665af6e8b9b2afbcf5d6b8bb2730dbf02716487830b015389.
//
// Solidity: event VerificationRequested(uint256 indexed requestId, uint256 indexed jobId, uint256 indexed claimId, uint256 segmentNumber, string streamId, string transcodingOptions, bytes32 dataHash, bytes32 transcodedDataHash)
func (_Verifier *VerifierFilterer) FilterVerificationRequested(opts *bind.FilterOpts, requestId []*big.Int, jobId []*big.Int, claimId []*big.Int) (*VerifierVerificationRequestedIterator, error) {

	var requestIdRule []interface{}
	for _, requestIdItem := range requestId {
		requestIdRule = append(requestIdRule, requestIdItem)
	}
	var jobIdRule []interface{}
	for _, jobIdItem := range jobId {
		jobIdRule = append(jobIdRule, jobIdItem)
	}
	var claimIdRule []interface{}
	for _, claimIdItem := range claimId {
		claimIdRule = append(claimIdRule, claimIdItem)
	}

	logs, sub, err := _Verifier.contract.FilterLogs(opts, "VerificationRequested", requestIdRule, jobIdRule, claimIdRule)
	if err != nil {
		return nil, err
	}
	return &VerifierVerificationRequestedIterator{contract: _Verifier.contract, event: "VerificationRequested", logs: logs, sub: sub}, nil
}

// WatchVerificationRequested is a free log subscription operation binding the contract event 0x54cdda59131ecf9665af6e8b9b2afbcf5d6b8bb2730dbf02716487830b015389.
//
// Solidity: event VerificationRequested(uint256 indexed requestId, uint256 indexed jobId, uint256 indexed claimId, uint256 segmentNumber, string streamId, string transcodingOptions, bytes32 dataHash, bytes32 transcodedDataHash)
func (_Verifier *VerifierFilterer) WatchVerificationRequested(opts *bind.WatchOpts, sink chan<- *VerifierVerificationRequested, requestId []*big.Int, jobId []*big.Int, claimId []*big.Int) (event.Subscription, error) {

	var requestIdRule []interface{}
	for _, requestIdItem := range requestId {
		requestIdRule = append(requestIdRule, requestIdItem)
	}
	var jobIdRule []interface{}
	for _, jobIdItem := range jobId {
		jobIdRule = append(jobIdRule, jobIdItem)
	}
	var claimIdRule []interface{}
	for _, claimIdItem := range claimId {
		claimIdRule = append(claimIdRule, claimIdItem)
	}

	logs, sub, err := _Verifier.contract.WatchLogs(opts, "VerificationRequested", requestIdRule, jobIdRule, claimIdRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(VerifierVerificationRequested)
				if err := _Verifier.contract.UnpackLog(event, "VerificationRequested", log); err != nil {
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

// ParseVerificationRequested is a log parse operation binding the contract event 0x54cdda59131ecf9665af6e8b9b2afbcf5d6b8bb2730dbf02716487830b015389.
//
// Solidity: event VerificationRequested(uint256 indexed requestId, uint256 indexed jobId, uint256 indexed claimId, uint256 segmentNumber, string streamId, string transcodingOptions, bytes32 dataHash, bytes32 transcodedDataHash)
func (_Verifier *VerifierFilterer) ParseVerificationRequested(log types.Log) (*VerifierVerificationRequested, error) {
	event := new(VerifierVerificationRequested)
	if err := _Verifier.contract.UnpackLog(event, "VerificationRequested", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// VerifierVerificationResultSubmittedIterator is returned from FilterVerificationResultSubmitted and is used to iterate over the raw logs and unpacked data for VerificationResultSubmitted events raised by the Verifier contract.
type VerifierVerificationResultSubmittedIterator struct {
	Event *VerifierVerificationResultSubmitted // Event containing the contract specifics and raw log

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
func (it *VerifierVerificationResultSubmittedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(VerifierVerificationResultSubmitted)
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
		it.Event = new(VerifierVerificationResultSubmitted)
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
func (it *VerifierVerificationResultSubmittedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *VerifierVerificationResultSubmittedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// VerifierVerificationResultSubmitted represents a VerificationResultSubmitted event raised by the Verifier contract.
type VerifierVerificationResultSubmitted struct {
	RequestId *big.Int
	Solver    common.Address
	Pass      bool
	Raw       types.Log // Blockchain specific contextual infos
}

// FilterVerificationResultSubmitted is a free log retrieval operation binding the contract event 0xbaa2bcc5d89b42a0c5544bed60be199856770d558220c16be05d8e1c95867759.
//
// Solidity: event VerificationResultSubmitted(uint256 indexed requestId, address indexed solver, bool pass)
func (_Verifier *VerifierFilterer) FilterVerificationResultSubmitted(opts *bind.FilterOpts, requestId []*big.Int, solver []common.Address) (*VerifierVerificationResultSubmittedIterator, error) {

	var requestIdRule []interface{}
	for _, requestIdItem := range requestId {
		requestIdRule = append(requestIdRule, requestIdItem)
	}
	var solverRule []interface{}
	for _, solverItem := range solver {
		solverRule = append(solverRule, solverItem)
	}

	logs, sub, err := _Verifier.contract.FilterLogs(opts, "VerificationResultSubmitted", requestIdRule, solverRule)
	if err != nil {
		return nil, err
	}
	return &VerifierVerificationResultSubmittedIterator{contract: _Verifier.contract, event: "VerificationResultSubmitted", logs: logs, sub: sub}, nil
}

// WatchVerificationResultSubmitted is a free log subscription operation binding the contract event 0xbaa2bcc5d89b42a0c5544bed60be199856770d558220c16be05d8e1c95867759.
//
// Solidity: event VerificationResultSubmitted(uint256 indexed requestId, address indexed solver, bool pass)
func (_Verifier *VerifierFilterer) WatchVerificationResultSubmitted(opts *bind.WatchOpts, sink chan<- *VerifierVerificationResultSubmitted, requestId []*big.Int, solver []common.Address) (event.Subscription, error) {

	var requestIdRule []interface{}
	for _, requestIdItem := range requestId {
		requestIdRule = append(requestIdRule, requestIdItem)
	}
	var solverRule []interface{}
	for _, solverItem := range solver {
		solverRule = append(solverRule, solverItem)
	}

	logs, sub, err := _Verifier.contract.WatchLogs(opts, "VerificationResultSubmitted", requestIdRule, solverRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(VerifierVerificationResultSubmitted)
				if err := _Verifier.contract.UnpackLog(event, "VerificationResultSubmitted", log); err != nil {
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

// ParseVerificationResultSubmitted is a log parse operation binding the contract event 0xbaa2bcc5d89b42a0c5544bed60be199856770d558220c16be05d8e1c95867759.
//
// Solidity: event VerificationResultSubmitted(uint256 indexed requestId, address indexed solver, bool pass)
func (_Verifier *VerifierFilterer) ParseVerificationResultSubmitted(log types.Log) (*VerifierVerificationResultSubmitted, error) {
	event := new(VerifierVerificationResultSubmitted)
	if err := _Verifier.contract.UnpackLog(event, "VerificationResultSubmitted", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
