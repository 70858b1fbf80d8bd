package claims

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestProfileCount(t *testing.T) {
	tests := []struct {
		name    string
		options string
		want    int
		wantErr bool
	}{
		{"one profile", "a7ac137a", 1, false},
		{"three profiles", TranscodingOptions("P720p30fps16x9", "P360p30fps16x9", "P240p30fps16x9"), 3, false},
		{"empty", "", 0, true},
		{"short", "a7ac13", 0, true},
		{"upper case", "A7AC137A", 0, true},
		{"not hex", "a7ac137g", 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ProfileCount(tc.options)
			if tc.wantErr {
				if !errors.Is(err, ErrTranscodingOptions) {
					t.Fatalf("err = %v, want ErrTranscodingOptions", err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ProfileCount(%q) = %d, %v; want %d", tc.options, got, err, tc.want)
			}
		})
	}
}

func TestReceiptHashCoversEveryField(t *testing.T) {
	base := Receipt{StreamID: "s", Seg: 1, DataHash: common.Hash{1}, TranscodedDataHash: common.Hash{2}, BroadcasterSig: []byte{3}}
	variants := map[string]Receipt{}
	r := base
	r.StreamID = "t"
	variants["stream"] = r
	r = base
	r.Seg = 2
	variants["seg"] = r
	r = base
	r.DataHash = common.Hash{9}
	variants["data hash"] = r
	r = base
	r.TranscodedDataHash = common.Hash{9}
	variants["transcoded data hash"] = r
	r = base
	r.BroadcasterSig = []byte{4}
	variants["signature"] = r
	for name, v := range variants {
		if v.Hash() == base.Hash() {
			t.Errorf("receipt hash ignores the %s", name)
		}
	}
	if base.SegmentHash() != SegmentHash("s", 1, common.Hash{1}) {
		t.Error("Receipt.SegmentHash differs from SegmentHash")
	}
}

func TestTranscodedDataHashOrder(t *testing.T) {
	a, b := []byte{1, 2}, []byte{3, 4}
	if TranscodedDataHash(a, b) == TranscodedDataHash(b, a) {
		t.Fatal("rendition order must change the hash")
	}
	if TranscodedDataHash(a, b) != TranscodedDataHash([]byte{1, 2, 3, 4}) {
		t.Fatal("TranscodedDataHash must hash the plain concatenation")
	}
}
