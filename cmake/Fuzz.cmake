# KC_FUZZ: the libFuzzer build (docs/fuzzing.md). Everything about it is in
# this file: the option, the flags and kc_add_fuzzer, which tools/fuzz-*
# use. The fuzz targets are built in every build: without KC_FUZZ they link
# a main that replays inputs (lib/FuzzCheck/ReplayMain.cpp), so the corpora
# and crash inputs run as lit tests anywhere. With KC_FUZZ, in a build
# directory of its own configured with clang-19, every library is compiled
# with -fsanitize=fuzzer-no-link,address,undefined and assertions, and the
# targets link libFuzzer.
option(KC_FUZZ
  "Build the fuzz targets with libFuzzer, ASan and UBSan (clang-19, own build dir)"
  OFF)

if(KC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR
     NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "KC_FUZZ needs clang: configure a separate build "
      "directory with -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19")
  endif()
  message(STATUS "KC_FUZZ: libFuzzer targets with ASan and UBSan")
  # Our bug must abort, so a sanitizer report is a crash libFuzzer keeps;
  # -UNDEBUG after the build type's -DNDEBUG turns our assertions (and
  # those inline in LLVM's headers) on. -O1 after the build type's level:
  # half the sanitized build's compile time of -O3, for fuzzing about as
  # fast (libFuzzer's own advice).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer -gline-tables-only
    -O1 -UNDEBUG)
  add_link_options(-fsanitize=address,undefined)
endif()

# Where lit finds a libFuzzer build's targets for the short runs of
# test/fuzz (scripts/quickstart.sh test builds one there).
set(KC_LIBFUZZER_DIR "${PROJECT_BINARY_DIR}/libfuzzer" CACHE PATH
  "A KC_FUZZ=ON build directory whose fuzz targets the lit tests run")

add_custom_target(fuzz-targets)

# kc_add_fuzzer(NAME SOURCES...): a fuzz target in bin/.
function(kc_add_fuzzer Name)
  add_executable(${Name} ${ARGN})
  target_link_libraries(${Name} PRIVATE KCFuzzCheck ${KC_LLVM_LIBS})
  if(KC_FUZZ)
    target_link_options(${Name} PRIVATE -fsanitize=fuzzer)
  else()
    target_link_libraries(${Name} PRIVATE KCFuzzReplayMain)
  endif()
  set_target_properties(${Name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bin)
  add_dependencies(fuzz-targets ${Name})
endfunction()
