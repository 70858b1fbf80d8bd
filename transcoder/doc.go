// Package transcoder owns what one stream of video segments needs around
// the ffmpeg engine: profiles and ladders (the presets, the reference bench
// ladder, ladder specs and JSON ladder files) and the stream runner, which
// feeds a stream's segments in order through one warm session. Around the
// runner it owns the stream's input (one file, or the segments of a local
// HLS media playlist), its output directory (each rendition's segments,
// media playlists and the master playlist, written through package hls)
// and the JSON report of a run.
//
// It calls into package ffmpeg for every libav operation and never imports
// go-astiav or cgo itself.
package transcoder
