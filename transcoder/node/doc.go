// Package node owns the segment node behind `opkit node`: an HTTP API that
// takes one segment at a time and answers with its renditions in a
// multipart wire format (Response, ReadResponse), a pool that keeps one
// warm session per stream, scheduled onto the least-loaded GPU (by
// w×h×fps, within each card's encoder cap), the node's limits, drain and
// Prometheus metrics, and the receipts of paid segments. For a segment
// that comes with a job id and the broadcaster's signature, the node builds
// the receipt and hands it to package claims through a claims.ReceiptSink
// before it answers.
//
// It also owns the remote-worker protocol: a Worker (`opkit transcoder`)
// registers with a node over a long-lived HTTP connection and takes its
// streams; the node hands it jobs, waits for their results and moves a
// stream elsewhere when its worker is lost.
//
// Segments run through package transcoder; the node never imports go-astiav
// or cgo.
package node
