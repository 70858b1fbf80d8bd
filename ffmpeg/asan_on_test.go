//go:build asan

package ffmpeg

// asanBuild: the tests run under AddressSanitizer (go test -asan), whose
// quarantine holds freed memory, so RSS says nothing about leaks there;
// LeakSanitizer reports them at exit instead.
const asanBuild = true
