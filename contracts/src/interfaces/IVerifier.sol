// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the Verifier that the JobsManager calls.
interface IVerifier {
    /// @notice Queues a segment for the solvers and returns the request id. The answer comes back
    /// later through IJobsManager.receiveVerification. Only the JobsManager.
    function requestVerification(
        uint256 _jobId,
        uint256 _claimId,
        uint256 _segmentNumber,
        string calldata _streamId,
        string calldata _transcodingOptions,
        bytes32 _dataHash,
        bytes32 _transcodedDataHash
    ) external returns (uint256 requestId);
}
