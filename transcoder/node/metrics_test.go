package node

import (
	"bytes"
	"crypto/sha256"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/opkit-dev/opkit/ffmpeg"
)

// newScrapedMetrics registers the node metrics with a registry of their own
// and returns them with a function that scrapes that registry.
func newScrapedMetrics(t *testing.T) (*PromMetrics, func() string) {
	t.Helper()
	reg := prometheus.NewRegistry()
	m, err := NewPromMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	return m, func() string {
		rec := httptest.NewRecorder()
		promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		return rec.Body.String()
	}
}

// TestHWFallbackSegmentsCounted feeds answered segments, with and without a
// GPU fallback, local and as a remote worker's answer read off the wire,
// and scrapes the registry: each fallback counts once under its reason,
// every reason is exported from the start, and a reason outside the fixed
// set counts as decoder_init.
func TestHWFallbackSegmentsCounted(t *testing.T) {
	m, scrape := newScrapedMetrics(t)
	text := scrape()
	for _, r := range hwFallbackReasons {
		if r.Err() == nil {
			t.Errorf("label %q is not one of ffmpeg's reasons", r)
		}
		wantMetric(t, text, `opkit_node_hw_fallback_segments_total{reason="`+string(r)+`"} 0`)
	}

	local := newResponse("cam", 0, &ffmpeg.SegmentResult{Decoder: "h264", HWFallback: ffmpeg.HWFallbackSurfaces})
	segmentOK(m, &local.Result, time.Second)
	onGPU := newResponse("cam", 1, &ffmpeg.SegmentResult{Decoder: "h264", DecoderHW: "cuda"})
	segmentOK(m, &onGPU.Result, time.Second)
	// A remote worker's answer: the reason travels in the JSON part.
	var buf bytes.Buffer
	ct, err := newResponse("cam", 2, &ffmpeg.SegmentResult{Decoder: "h264", HWFallback: ffmpeg.HWFallbackPixelFormat}).Encode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	remote, err := ReadResponse(ct, &buf)
	if err != nil {
		t.Fatal(err)
	}
	segmentOK(m, &remote.Result, time.Second)
	unknown := newResponse("cam", 3, &ffmpeg.SegmentResult{HWFallback: "from_the_future"})
	segmentOK(m, &unknown.Result, time.Second)

	text = scrape()
	wantMetric(t, text, `opkit_node_segments_total{result="ok"} 4`)
	wantMetric(t, text, `opkit_node_hw_fallback_segments_total{reason="surfaces"} 1`)
	wantMetric(t, text, `opkit_node_hw_fallback_segments_total{reason="pixel_format"} 1`)
	wantMetric(t, text, `opkit_node_hw_fallback_segments_total{reason="decoder_init"} 1`)
	wantMetric(t, text, `opkit_node_hw_fallback_segments_total{reason="codec"} 0`)
	wantMetric(t, text, `opkit_node_hw_fallback_segments_total{reason="device_unavailable"} 0`)
	if bytes.Contains([]byte(text), []byte("from_the_future")) {
		t.Errorf("an unknown reason became a label:\n%s", text)
	}
}

// TestWarmRenditionsCounted: every answered rendition counts, and those
// whose graph or encoder came warm count under their stage, for local
// answers and for a remote worker's read off the wire; both stages are
// exported from the start.
func TestWarmRenditionsCounted(t *testing.T) {
	m, scrape := newScrapedMetrics(t)
	text := scrape()
	wantMetric(t, text, `opkit_node_warm_renditions_total{stage="graph"} 0`)
	wantMetric(t, text, `opkit_node_warm_renditions_total{stage="encoder"} 0`)

	cold := newResponse("cam", 0, &ffmpeg.SegmentResult{Renditions: []ffmpeg.RenditionResult{{Name: "a"}, {Name: "b"}}})
	segmentOK(m, &cold.Result, time.Second)
	var buf bytes.Buffer
	empty := sha256.Sum256(nil) // the wire checks each rendition's hash
	ct, err := newResponse("cam", 1, &ffmpeg.SegmentResult{Renditions: []ffmpeg.RenditionResult{
		{Name: "a", SHA256: empty, WarmGraph: true, WarmEncoder: true}, {Name: "b", SHA256: empty, WarmGraph: true},
	}}).Encode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	remote, err := ReadResponse(ct, &buf)
	if err != nil {
		t.Fatal(err)
	}
	segmentOK(m, &remote.Result, time.Second)

	text = scrape()
	wantMetric(t, text, `opkit_node_renditions_total 4`)
	wantMetric(t, text, `opkit_node_warm_renditions_total{stage="graph"} 2`)
	wantMetric(t, text, `opkit_node_warm_renditions_total{stage="encoder"} 1`)
}
