#!/usr/bin/env bash
# Print the CMake flags to build llama.cpp (llama-cpp-python) with on this machine.
#
#   scripts/cpu_flags.sh                      the flags (scripts/setup.sh uses them)
#   scripts/cpu_flags.sh runs CFLAGS... <prog.c   exit 0 if prog.c compiles with CFLAGS and runs here
#
# Never -DGGML_NATIVE=ON (-march=native would take AMX) and never AMX: some CPUs report AMX
# but forbid it, and such a build dies with SIGILL on the first token. So what a CPU reports
# is not enough: each extra feature set is on only when a program executing its instructions
# compiles and runs here. x86-64: AVX2/FMA/F16C/BMI2, plus AVX-VNNI and AVX-512 (with
# VBMI/VNNI/BF16) when their probes run; scripts/bench_build.py measures what they buy.
set -uo pipefail

# runs CFLAGS... <prog.c: true only if the program compiles and runs here (each probe checks that
# the CPU reports its features, then executes their instructions: a SIGILL fails it).
runs() {
  local cc="${CC:-cc}" dir ok=1
  command -v "$cc" >/dev/null 2>&1 || return 1
  dir="$(mktemp -d)"
  cat >"$dir/probe.c"
  if "$cc" -O1 "$@" "$dir/probe.c" -o "$dir/probe" >/dev/null 2>&1 && ("$dir/probe"; exit $?) >/dev/null 2>&1; then ok=0; fi  # a subshell: a SIGILL is reported to /dev/null
  rm -rf "$dir"
  return $ok
}

cpu_cmake_args() {
  local args="-DGGML_NATIVE=OFF"
  [ "$(uname -m)" = "x86_64" ] || { printf '%s' "$args"; return; }
  args="$args -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
  if runs -mavx2 -mavxvnni <<'C'
#include <immintrin.h>
int main(void) {
  if (!__builtin_cpu_supports("avxvnni")) return 1;
  volatile int a = 3; __m256i x = _mm256_set1_epi32(a);
  x = _mm256_dpbusd_avx_epi32(x, x, x);
  return _mm256_extract_epi32(x, 0) == 12 ? 0 : 1;  /* 3 + 3 * 3 */
}
C
  then args="$args -DGGML_AVX_VNNI=ON"; fi
  if runs -mavx512f -mavx512cd -mavx512vl -mavx512dq -mavx512bw <<'C'
#include <immintrin.h>
int main(void) {
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512cd") || !__builtin_cpu_supports("avx512vl")
      || !__builtin_cpu_supports("avx512dq") || !__builtin_cpu_supports("avx512bw")) return 1;
  volatile int a = 3; __m512i x = _mm512_set1_epi32(a);
  x = _mm512_add_epi32(x, _mm512_lzcnt_epi32(x));                          /* F, CD */
  x = _mm512_maskz_mov_epi8(0x5555555555555555ULL, x);                      /* BW */
  __m512 f = _mm512_and_ps(_mm512_castsi512_ps(x), _mm512_castsi512_ps(x)); /* DQ */
  __m256i y = _mm256_mask_add_epi32(_mm256_set1_epi32(a), 0x0f, _mm256_set1_epi32(a), _mm256_set1_epi32(1)); /* VL */
  return _mm512_reduce_add_epi32(_mm512_castps_si512(f)) != 0 && _mm256_extract_epi32(y, 0) == 4 ? 0 : 1;
}
C
  then
    args="$args -DGGML_AVX512=ON"
    if runs -mavx512f -mavx512bw -mavx512vbmi -mavx512vnni -mavx512bf16 <<'C'
#include <immintrin.h>
int main(void) {
  if (!__builtin_cpu_supports("avx512vbmi") || !__builtin_cpu_supports("avx512vnni") || !__builtin_cpu_supports("avx512bf16")) return 1;
  volatile int a = 3; __m512i x = _mm512_set1_epi32(a);
  x = _mm512_dpbusd_epi32(x, x, x);                                         /* VNNI */
  x = _mm512_permutexvar_epi8(_mm512_setzero_si512(), x);                   /* VBMI */
  __m512bh h = _mm512_cvtne2ps_pbh(_mm512_set1_ps(1.0f), _mm512_set1_ps(2.0f)); /* BF16 */
  return _mm512_reduce_add_epi32(x) != 0 && _mm512_reduce_add_epi32((__m512i)h) != 0 ? 0 : 1;
}
C
    then args="$args -DGGML_AVX512_VBMI=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_BF16=ON"; fi
  fi
  printf '%s' "$args"
}

if [ "${1:-}" = "runs" ]; then
  shift
  runs "$@"
  exit $?
fi
cpu_cmake_args
echo
