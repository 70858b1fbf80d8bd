// Package transcoder owns everything between a stream of video segments and
// the ffmpeg engine: profiles and ladders (presets, the reference bench
// ladder, JSON ladder files), per-stream sessions and the runner that feeds
// one stream's segments through one session and writes the outputs, HLS
// playlists (reading input playlists, writing media and master playlists),
// scheduling streams onto devices, the benchmark harness, and the receipts
// each transcoded segment produces.
//
// It calls into package ffmpeg for every libav operation and never imports
// go-astiav or cgo itself.
package transcoder
