//go:build !asan

package ffmpeg

// asanBuild: see asan_on_test.go.
const asanBuild = false
