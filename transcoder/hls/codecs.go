package hls

import (
	"bytes"
	"fmt"
	"strings"
)

// TSCodecs returns the RFC 6381 codec string a master playlist's CODECS
// attribute gives for an MPEG-TS segment, e.g. "avc1.64001f,mp4a.40.2",
// read from the H.264 sequence parameter set and the AAC ADTS header of
// the segment's first program. It returns "" when it cannot name every
// stream (HEVC, an unknown audio codec, a damaged segment): a CODECS that
// leaves a stream out is worse than none.
func TSCodecs(ts []byte) string {
	streams := tsStreams(ts)
	if len(streams) == 0 {
		return ""
	}
	var codecs []string
	for _, s := range streams {
		payload := tsFirstPES(ts, s.pid)
		var c string
		switch s.streamType {
		case 0x1b:
			c = avcCodec(payload)
		case 0x0f:
			c = aacCodec(payload)
		case 0x03, 0x04:
			c = "mp4a.40.34"
		}
		if c == "" {
			return ""
		}
		codecs = append(codecs, c)
	}
	return strings.Join(codecs, ",")
}

const tsPacketSize = 188

type tsStream struct {
	pid        int
	streamType byte
}

// tsPayload returns the PID, the payload-unit-start flag and the payload of
// the TS packet at p, or ok=false for a packet without sync or payload.
func tsPayload(p []byte) (pid int, start bool, payload []byte, ok bool) {
	if len(p) < tsPacketSize || p[0] != 0x47 {
		return 0, false, nil, false
	}
	pid = int(p[1]&0x1f)<<8 | int(p[2])
	start = p[1]&0x40 != 0
	afc := (p[3] >> 4) & 3
	off := 4
	if afc&2 != 0 {
		off += 1 + int(p[4])
	}
	if afc&1 == 0 || off >= tsPacketSize {
		return pid, start, nil, false
	}
	return pid, start, p[off:tsPacketSize], true
}

// tsSection returns the first PSI section carried on pid.
func tsSection(ts []byte, pid int) []byte {
	for i := 0; i+tsPacketSize <= len(ts); i += tsPacketSize {
		p, start, payload, ok := tsPayload(ts[i:])
		if !ok || p != pid || !start || len(payload) < 1 {
			continue
		}
		ptr := int(payload[0])
		if 1+ptr+3 > len(payload) {
			return nil
		}
		sec := payload[1+ptr:]
		n := int(sec[1]&0x0f)<<8 | int(sec[2])
		if 3+n > len(sec) || n < 9 {
			return nil // sections spanning packets are not needed here
		}
		return sec[:3+n-4] // without the CRC
	}
	return nil
}

// tsStreams lists the elementary streams of the first program.
func tsStreams(ts []byte) []tsStream {
	pat := tsSection(ts, 0)
	if len(pat) < 12 || pat[0] != 0x00 {
		return nil
	}
	pmtPID := -1
	for e := pat[8:]; len(e) >= 4; e = e[4:] {
		if prog := int(e[0])<<8 | int(e[1]); prog != 0 {
			pmtPID = int(e[2]&0x1f)<<8 | int(e[3])
			break
		}
	}
	pmt := tsSection(ts, pmtPID)
	if pmtPID < 0 || len(pmt) < 12 || pmt[0] != 0x02 {
		return nil
	}
	infoLen := int(pmt[10]&0x0f)<<8 | int(pmt[11])
	if 12+infoLen > len(pmt) {
		return nil
	}
	var out []tsStream
	for e := pmt[12+infoLen:]; len(e) >= 5; {
		esLen := int(e[3]&0x0f)<<8 | int(e[4])
		out = append(out, tsStream{pid: int(e[1]&0x1f)<<8 | int(e[2]), streamType: e[0]})
		if 5+esLen > len(e) {
			break
		}
		e = e[5+esLen:]
	}
	return out
}

// maxPESScan bounds how much of a PES packet is gathered.
const maxPESScan = 256 << 10

// tsFirstPES returns the elementary-stream bytes of the first PES packet
// on pid, without the PES header.
func tsFirstPES(ts []byte, pid int) []byte {
	var pes []byte
	started := false
	for i := 0; i+tsPacketSize <= len(ts) && len(pes) < maxPESScan; i += tsPacketSize {
		p, start, payload, ok := tsPayload(ts[i:])
		if !ok || p != pid {
			continue
		}
		if start && started {
			break
		}
		if start {
			started = true
		}
		if started {
			pes = append(pes, payload...)
		}
	}
	if len(pes) < 9 || !bytes.HasPrefix(pes, []byte{0, 0, 1}) {
		return nil
	}
	hdr := 9 + int(pes[8])
	if hdr > len(pes) {
		return nil
	}
	return pes[hdr:]
}

// avcCodec finds the first H.264 SPS in an Annex B stream and returns
// "avc1.PPCCLL" (profile_idc, constraint flags, level_idc).
func avcCodec(es []byte) string {
	for i := 0; i+3 < len(es); i++ {
		if es[i] != 0 || es[i+1] != 0 || es[i+2] != 1 {
			continue
		}
		if es[i+3]&0x1f == 7 && i+6 < len(es) {
			return fmt.Sprintf("avc1.%02x%02x%02x", es[i+4], es[i+5], es[i+6])
		}
	}
	return ""
}

// aacCodec reads the audio object type from an ADTS header: "mp4a.40.N".
func aacCodec(es []byte) string {
	if len(es) < 7 || es[0] != 0xff || es[1]&0xf0 != 0xf0 {
		return ""
	}
	return fmt.Sprintf("mp4a.40.%d", (es[2]>>6)+1)
}
