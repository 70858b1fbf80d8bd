// Package transcoder owns everything between a stream of video segments and
// the ffmpeg engine: profiles and ladders (presets, the reference bench
// ladder, JSON ladder files), per-stream sessions and the runner that feeds
// one stream's segments through one session and writes the outputs (its
// input and output playlists through package hls), and scheduling streams
// onto devices (the least-loaded GPU, by w×h×fps).
//
// It also holds the segment node behind `opkit node`: an HTTP API that
// takes one segment at a time and answers with its renditions, keeping one
// warm session per stream, here or on a remote transcoder (`opkit
// transcoder`) that registers with the node and takes its streams over a
// long-lived HTTP connection. For a segment that comes with a job id and the
// broadcaster's signature, the node builds the receipt and hands it to
// package claims through a claims.ReceiptSink before it answers.
//
// It calls into package ffmpeg for every libav operation and never imports
// go-astiav or cgo itself.
package transcoder
