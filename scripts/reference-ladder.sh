# shellcheck shell=bash
# reference-ladder.sh: the reference bench ladder and the ffmpeg CLI command
# that encodes it, sourced by bench-vs-ffmpeg.sh and profile-vs-ffmpeg.sh so
# that both time and profile the very same command.
#
# Ladder: 240p 250k, 360p 800k, 480p 1600k, 720p 3000k; libx264 high
# profile, no B-frames, 1 s GOP (FPS frames, fixed), maxrate 1.1 x bitrate,
# bufsize 2 x bitrate, encoder threads auto, bicubic scaling to the sizes
# opkit fits for a 1920x1080 source, audio copied: the options
# ffmpeg/encoder.go opens libx264 with.

FPS=30

# Reference ladder: name width height bitrate(kbit/s).
LADDER=(
	"240p 426 240 250"
	"360p 640 360 800"
	"480p 854 480 1600"
	"720p 1280 720 3000"
)

# cli_segment IN OUT PRESET: one ffmpeg process transcodes segment IN into
# OUT/<rendition>/<IN's name>: decode once, split into the scaled outputs.
cli_segment() {
	local in=$1 out=$2 preset=$3 graph="" maps=() i=0 split="[0:v]split=${#LADDER[@]}" rung name w h kbps
	for rung in "${LADDER[@]}"; do
		read -r name w h kbps <<<"$rung"
		split+="[s$i]"
		graph+=";[s$i]scale=w=$w:h=$h:flags=bicubic,format=pix_fmts=yuv420p[o$i]"
		mkdir -p "$out/$name"
		maps+=(-map "[o$i]" -map '0:a?' -c:v libx264 -preset "$preset" -profile:v high -bf 0
			-g "$FPS" -keyint_min "$FPS" -b:v "${kbps}k" -maxrate "$((kbps * 11 / 10))k"
			-bufsize "$((kbps * 2))k" -c:a copy -f mpegts "$out/$name/$(basename "$in")")
		i=$((i + 1))
	done
	ffmpeg -hide_banner -nostdin -loglevel error -y -i "$in" -filter_complex "$split$graph" "${maps[@]}"
}
