// Package hls owns HLS playlists (RFC 8216): reading media and master
// playlists (ParsePlaylist, ParseFile), writing them (NewMediaPlaylist,
// NewMasterPlaylist, Encode), and the RFC 6381 CODECS string of an MPEG-TS
// segment (TSCodecs). It knows nothing of ladders, sessions or streams.
package hls
