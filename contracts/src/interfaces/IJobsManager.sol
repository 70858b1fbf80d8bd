// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The part of the JobsManager that the Verifier calls back.
interface IJobsManager {
    /// @notice Delivers the Verifier's answer for a segment the transcoder submitted with verify().
    /// Only the Verifier registered in the Controller.
    function receiveVerification(uint256 _jobId, uint256 _claimId, uint256 _segmentNumber, bool _pass) external;
}
