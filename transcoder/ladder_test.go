package transcoder

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/opkit-dev/opkit/ffmpeg"
)

func TestPresets(t *testing.T) {
	// The DESIGN.md preset table.
	want := map[string]struct {
		w, h int
		kbps int64
		fps  int
	}{
		P720p60fps16x9: {1280, 720, 6000, 60},
		P720p30fps16x9: {1280, 720, 4000, 30},
		P576p30fps16x9: {1024, 576, 1500, 30},
		P360p30fps16x9: {640, 360, 1200, 30},
		P240p30fps16x9: {426, 240, 600, 30},
		P144p30fps16x9: {256, 144, 400, 30},
	}
	if got := len(PresetNames()); got != len(want) {
		t.Fatalf("%d presets, want %d", got, len(want))
	}
	for name, w := range want {
		t.Run(name, func(t *testing.T) {
			p, ok := Preset(name)
			if !ok {
				t.Fatalf("preset %s missing", name)
			}
			if p.Width != w.w || p.Height != w.h || p.Bitrate != w.kbps*1000 || p.FPS != (ffmpeg.Rational{Num: w.fps, Den: 1}) {
				t.Errorf("got %dx%d %d bit/s %v, want %dx%d %dk %d fps", p.Width, p.Height, p.Bitrate, p.FPS, w.w, w.h, w.kbps, w.fps)
			}
			if err := (Ladder{p}).Validate(); err != nil {
				t.Errorf("preset does not validate: %v", err)
			}
		})
	}
}

func TestBenchLadder(t *testing.T) {
	l := BenchLadder()
	if err := l.Validate(); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name string
		w, h int
		kbps int64
	}{{"240p", 426, 240, 250}, {"360p", 640, 360, 800}, {"480p", 854, 480, 1600}, {"720p", 1280, 720, 3000}}
	if len(l) != len(want) {
		t.Fatalf("%d rungs, want %d", len(l), len(want))
	}
	for i, w := range want {
		r := l[i]
		if r.Name != w.name || r.Width != w.w || r.Height != w.h || r.Bitrate != w.kbps*1000 {
			t.Errorf("rung %d: got %s %dx%d %d, want %s %dx%d %dk", i, r.Name, r.Width, r.Height, r.Bitrate, w.name, w.w, w.h, w.kbps)
		}
		if !r.FPS.IsZero() || r.GOP != time.Second || r.Intra || r.Profile != "high" || r.BFrames != 0 || r.Codec != ffmpeg.CodecH264 {
			t.Errorf("rung %d: want source fps, 1 s GOP, high profile, no B-frames, H.264; got %+v", i, r)
		}
		// A 16:9 1080p source fits each rung exactly.
		if fw, fh := ffmpeg.FitSize(1920, 1080, r.Width, r.Height); fw != r.Width || fh != r.Height {
			t.Errorf("rung %d: FitSize(1920x1080) = %dx%d, want %dx%d", i, fw, fh, r.Width, r.Height)
		}
	}
}

func TestParseLadderSpec(t *testing.T) {
	tests := []struct {
		name    string
		spec    string
		want    []string
		wantErr string
	}{
		{"two presets", "P720p30fps16x9,P360p30fps16x9", []string{P720p30fps16x9, P360p30fps16x9}, ""},
		{"spaces", " P240p30fps16x9 , P144p30fps16x9", []string{P240p30fps16x9, P144p30fps16x9}, ""},
		{"bench", "bench", []string{"240p", "360p", "480p", "720p"}, ""},
		{"bench plus preset", "bench,P144p30fps16x9", []string{"240p", "360p", "480p", "720p", P144p30fps16x9}, ""},
		{"unknown", "P720p30fps16x9,P1080p", nil, `item 1 "P1080p" is not a preset`},
		{"empty", "", nil, `item 0 "" is not a preset`},
		{"duplicate", "P360p30fps16x9,P360p30fps16x9", nil, "rendition 1 (P360p30fps16x9): name: duplicate of rendition 0"},
		{"bench twice", "bench,bench", nil, "duplicate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseLadderSpec(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrBadLadder) {
					t.Fatalf("err = %v, want ErrBadLadder containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Names(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("names = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseLadder(t *testing.T) {
	tests := []struct {
		name  string
		json  string
		want  ffmpeg.RenditionSpec // first rendition, when no error
		index int                  // LadderError.Index when an error is expected
		field string               // LadderError.Field when an error is expected
	}{
		{name: "minimal", json: `[{"name":"720p","width":1280,"height":720,"bitrate":3000000}]`,
			want: ffmpeg.RenditionSpec{Name: "720p", Width: 1280, Height: 720, Bitrate: 3_000_000}},
		{name: "all fields", json: `[{"name":"a","width":640,"height":360,"bitrate":"800k","fps":"30000/1001","gop":2.5,"profile":"constrainedhigh","encoder":"H.264","bframes":2}]`,
			want: ffmpeg.RenditionSpec{Name: "a", Width: 640, Height: 360, Bitrate: 800_000, FPS: ffmpeg.Rational{Num: 30000, Den: 1001},
				GOP: 2500 * time.Millisecond, Profile: "constrainedhigh", Codec: ffmpeg.CodecH264, BFrames: 2}},
		{name: "megabits and intra", json: `[{"name":"i","width":1280,"height":720,"bitrate":"1.5M","fps":0,"gop":"intra","encoder":"hevc"}]`,
			want: ffmpeg.RenditionSpec{Name: "i", Width: 1280, Height: 720, Bitrate: 1_500_000, Intra: true, Codec: ffmpeg.CodecHEVC}},
		{name: "livepeer spellings", json: `[{"name":"l","width":426,"height":240,"bitrate":600000,"fps":30,"gop":"2","profile":"H264High","encoder":"avc"}]`,
			want: ffmpeg.RenditionSpec{Name: "l", Width: 426, Height: 240, Bitrate: 600_000, FPS: ffmpeg.Rational{Num: 30, Den: 1},
				GOP: 2 * time.Second, Profile: "high", Codec: ffmpeg.CodecH264}},
		{name: "not json", json: `{`, index: -1},
		{name: "object not array", json: `{"name":"x"}`, index: -1},
		{name: "empty array", json: `[]`, index: -1},
		{name: "null", json: `null`, index: -1},
		{name: "trailing data", json: `[{"name":"a","width":2,"height":2,"bitrate":"1M"}] []`, index: -1},
		{name: "element not object", json: `[3]`, index: 0},
		{name: "unknown field", json: `[{"name":"a","width":2,"height":2,"bitrate":"1M","resolution":"2x2"}]`, index: 0, field: "resolution"},
		{name: "field twice", json: `[{"name":"a","width":2,"width":4,"height":2,"bitrate":"1M"}]`, index: 0, field: "width"},
		{name: "missing bitrate", json: `[{"name":"a","width":2,"height":2}]`, index: 0, field: "bitrate"},
		{name: "missing name", json: `[{"width":2,"height":2,"bitrate":"1M"}]`, index: 0, field: "name"},
		{name: "odd width", json: `[{"name":"a","width":2,"height":2,"bitrate":"1M"},{"name":"b","width":641,"height":360,"bitrate":"1M"}]`, index: 1, field: "width"},
		{name: "height too big", json: `[{"name":"a","width":2,"height":8194,"bitrate":"1M"}]`, index: 0, field: "height"},
		{name: "width float", json: `[{"name":"a","width":640.0,"height":360,"bitrate":"1M"}]`, index: 0, field: "width"},
		{name: "width string", json: `[{"name":"a","width":"640","height":360,"bitrate":"1M"}]`, index: 0, field: "width"},
		{name: "zero bitrate", json: `[{"name":"a","width":640,"height":360,"bitrate":0}]`, index: 0, field: "bitrate"},
		{name: "negative bitrate", json: `[{"name":"a","width":640,"height":360,"bitrate":-5}]`, index: 0, field: "bitrate"},
		{name: "bitrate unit", json: `[{"name":"a","width":640,"height":360,"bitrate":"3000kb"}]`, index: 0, field: "bitrate"},
		{name: "bitrate too high", json: `[{"name":"a","width":640,"height":360,"bitrate":"1G"}]`, index: 0, field: "bitrate"},
		{name: "fps decimal", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","fps":29.97}]`, index: 0, field: "fps"},
		{name: "fps too high", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","fps":241}]`, index: 0, field: "fps"},
		{name: "fps zero den", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","fps":"30/0"}]`, index: 0, field: "fps"},
		{name: "gop negative", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","gop":-1}]`, index: 0, field: "gop"},
		{name: "gop too long", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","gop":61}]`, index: 0, field: "gop"},
		{name: "gop word", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","gop":"often"}]`, index: 0, field: "gop"},
		{name: "bad profile", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","profile":"extended"}]`, index: 0, field: "profile"},
		{name: "hevc high", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","profile":"high","encoder":"HEVC"}]`, index: 0, field: "profile"},
		{name: "bad encoder", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","encoder":"mpeg2"}]`, index: 0, field: "encoder"},
		{name: "baseline b-frames", json: `[{"name":"a","width":640,"height":360,"bitrate":"1M","profile":"baseline","bframes":2}]`, index: 0, field: "bframes"},
		{name: "path in name", json: `[{"name":"../x","width":640,"height":360,"bitrate":"1M"}]`, index: 0, field: "name"},
		{name: "duplicate names", json: `[{"name":"a","width":2,"height":2,"bitrate":"1M"},{"name":"a","width":4,"height":4,"bitrate":"1M"}]`, index: 1, field: "name"},
		{name: "name wrong type", json: `[{"name":7,"width":2,"height":2,"bitrate":"1M"}]`, index: 0, field: "name"},
		{name: "too many", json: "[" + strings.Repeat(`{"name":"a","width":2,"height":2,"bitrate":"1M"},`, MaxRenditions) + `{"name":"b","width":2,"height":2,"bitrate":"1M"}]`, index: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := ParseLadder([]byte(tt.json))
			if tt.want.Name != "" {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(l[0], tt.want) {
					t.Errorf("got  %+v\nwant %+v", l[0], tt.want)
				}
				return
			}
			var le *LadderError
			if !errors.As(err, &le) || !errors.Is(err, ErrBadLadder) {
				t.Fatalf("err = %v, want a *LadderError", err)
			}
			if le.Index != tt.index || le.Field != tt.field {
				t.Errorf("error at rendition %d field %q, want %d %q (%v)", le.Index, le.Field, tt.index, tt.field, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestLadderJSONRoundTrip(t *testing.T) {
	for _, spec := range []string{"bench", strings.Join(PresetNames(), ",")} {
		l, err := ParseLadderSpec(spec)
		if err != nil {
			t.Fatal(err)
		}
		data, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseLadder(data)
		if err != nil {
			t.Fatalf("%s: reparsing %s: %v", spec, data, err)
		}
		for i := range l {
			if l[i].Codec == "" {
				l[i].Codec = back[i].Codec // an absent encoder reads back as the default
			}
		}
		if !reflect.DeepEqual(back, l) {
			t.Errorf("%s: round trip changed the ladder:\n got %+v\nwant %+v", spec, back, l)
		}
	}
}

func TestReadLadderFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "ladder.json")
	if err := os.WriteFile(good, []byte(`[{"name":"360p","width":640,"height":360,"bitrate":"800k"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := ReadLadderFile(good)
	if err != nil || len(l) != 1 || l[0].Bitrate != 800_000 {
		t.Fatalf("ReadLadderFile = %+v, %v", l, err)
	}
	if _, err := ReadLadderFile(filepath.Join(dir, "absent.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent file: err = %v, want os.ErrNotExist", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, MaxLadderFileSize+10), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadLadderFile(big); !errors.Is(err, ErrBadLadder) {
		t.Errorf("oversized file: err = %v, want ErrBadLadder", err)
	}
}

func TestParseBitrate(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"3000000", 3_000_000, true}, {"3000k", 3_000_000, true}, {"3M", 3_000_000, true},
		{"1.5M", 1_500_000, true}, {"2500K", 2_500_000, true}, {"0.5G", 500_000_000, true}, {"0.6G", 0, false}, {"1.0005k", 0, false},
		{"", 0, false}, {"k", 0, false}, {"-1M", 0, false}, {"1e6", 0, false}, {"1.M", 0, false},
		{"9999", 0, false}, {"99999999999999G", 0, false}, {"0.25M", 250_000, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseBitrate(tt.in)
			if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
				t.Errorf("ParseBitrate(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

// FuzzParseLadder checks that the parser never panics, that whatever it
// accepts validates, and that it reads back what it writes.
func FuzzParseLadder(f *testing.F) {
	f.Add([]byte(`[{"name":"720p","width":1280,"height":720,"bitrate":"3000k","fps":"30000/1001","gop":"intra","profile":"high","encoder":"H.264"}]`))
	f.Add([]byte(`[{"name":"a","width":2,"height":2,"bitrate":10000,"gop":0.5,"bframes":3}]`))
	f.Add([]byte(`[{"name":"v","width":640,"height":360,"bitrate":"1.5M","fps":60,"encoder":"vp9"}]`))
	f.Add([]byte(`[1, {"x": null}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLadder(data)
		if err != nil {
			if !errors.Is(err, ErrBadLadder) {
				t.Fatalf("error %v does not wrap ErrBadLadder", err)
			}
			return
		}
		if err := l.Validate(); err != nil {
			t.Fatalf("accepted ladder does not validate: %v", err)
		}
		out, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseLadder(out)
		if err != nil {
			t.Fatalf("cannot reparse %s: %v", out, err)
		}
		if !reflect.DeepEqual(back, l) {
			t.Fatalf("round trip changed the ladder:\n got %+v\nwant %+v", back, l)
		}
	})
}

func TestParseFPS(t *testing.T) {
	tests := []struct {
		in   string
		want ffmpeg.Rational
		ok   bool
	}{
		{"0", ffmpeg.Rational{}, true}, {"30", ffmpeg.Rational{Num: 30, Den: 1}, true},
		{"30000/1001", ffmpeg.Rational{Num: 30000, Den: 1001}, true}, {"240", ffmpeg.Rational{Num: 240, Den: 1}, true},
		{"241", ffmpeg.Rational{}, false}, {"0/1", ffmpeg.Rational{}, false}, {"0/0", ffmpeg.Rational{}, false},
		{"30/0", ffmpeg.Rational{}, false}, {"29.97", ffmpeg.Rational{}, false}, {"-30", ffmpeg.Rational{}, false},
		{"", ffmpeg.Rational{}, false}, {"1/2000", ffmpeg.Rational{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFPS(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseFPS(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}
