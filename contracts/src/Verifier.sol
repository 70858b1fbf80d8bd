// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// Constructor:
//   constructor(address _controller)
// Register the contract in the Controller as keccak256("Verifier"), then let the Controller owner
// trust solvers with setSolver(solver, true).

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Manager} from "./base/Manager.sol";
import {IJobsManager} from "./interfaces/IJobsManager.sol";
import {IVerifier} from "./interfaces/IVerifier.sol";

/// @title Verifier
/// @notice Trusted-solver verification of transcoded segments, as in the 2018 deployment. The
/// JobsManager queues a request for each segment a transcoder submits; the request's event carries
/// everything a solver needs to fetch the segment, re-encode it with the job's transcoding options
/// and compare keccak256(concat of its per-rendition output hashes) with transcodedDataHash. A
/// solver trusted by the Controller owner answers once with submitResult, which calls back
/// JobsManager.receiveVerification.
contract Verifier is Manager, IVerifier {
    /// @dev One storage slot. The hashes a solver checks are in the VerificationRequested event.
    struct Request {
        uint64 jobId;
        uint64 claimId;
        uint64 segmentNumber;
        bool answered;
        bool pass;
    }

    mapping(address => bool) public isSolver;
    Request[] private requests;

    event SolverSet(address indexed solver, bool trusted);
    event VerificationRequested(
        uint256 indexed requestId,
        uint256 indexed jobId,
        uint256 indexed claimId,
        uint256 segmentNumber,
        string streamId,
        string transcodingOptions,
        bytes32 dataHash,
        bytes32 transcodedDataHash
    );
    event VerificationResultSubmitted(uint256 indexed requestId, address indexed solver, bool pass);

    constructor(address _controller) Manager(_controller) {}

    /// @notice Trusts or distrusts a solver. Only the Controller owner.
    function setSolver(address _solver, bool _trusted) external onlyControllerOwner {
        require(_solver != address(0), "solver is zero");
        isSolver[_solver] = _trusted;
        emit SolverSet(_solver, _trusted);
    }

    /// @inheritdoc IVerifier
    function requestVerification(
        uint256 _jobId,
        uint256 _claimId,
        uint256 _segmentNumber,
        string calldata _streamId,
        string calldata _transcodingOptions,
        bytes32 _dataHash,
        bytes32 _transcodedDataHash
    ) external onlyContract(JOBS_MANAGER, "caller must be JobsManager") whenSystemNotPaused returns (uint256 requestId) {
        requestId = requests.length;
        requests.push(
            Request(SafeCast.toUint64(_jobId), SafeCast.toUint64(_claimId), SafeCast.toUint64(_segmentNumber), false, false)
        );
        emit VerificationRequested(
            requestId, _jobId, _claimId, _segmentNumber, _streamId, _transcodingOptions, _dataHash, _transcodedDataHash
        );
    }

    /// @notice Answers a request once and forwards the answer to the JobsManager. Only a trusted solver.
    function submitResult(uint256 _requestId, bool _pass) external whenSystemNotPaused {
        require(isSolver[msg.sender], "caller is not a trusted solver");
        require(_requestId < requests.length, "no such request");
        Request storage r = requests[_requestId];
        require(!r.answered, "request already answered");
        r.answered = true;
        r.pass = _pass;
        emit VerificationResultSubmitted(_requestId, msg.sender, _pass);
        IJobsManager(_peer(JOBS_MANAGER)).receiveVerification(r.jobId, r.claimId, r.segmentNumber, _pass);
    }

    function numRequests() external view returns (uint256) {
        return requests.length;
    }

    function getRequest(uint256 _requestId) external view returns (Request memory) {
        require(_requestId < requests.length, "no such request");
        return requests[_requestId];
    }
}
