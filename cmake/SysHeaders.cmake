# Header-only system dependencies (glm, Catch2 v2, nlohmann/json) for both toolchains.
# For the wasm build, -I/usr/include would shadow Emscripten's sysroot with glibc headers, so only the
# needed top-level folders are linked into a private include directory.
set(LAB_SYSINC "${CMAKE_BINARY_DIR}/sysinc")
add_library(lab_sysheaders INTERFACE)
target_include_directories(lab_sysheaders SYSTEM INTERFACE "${LAB_SYSINC}")
foreach(spec IN ITEMS "glm:glm/glm.hpp" "catch2:catch2/catch.hpp" "nlohmann:nlohmann/json.hpp")
  string(REPLACE ":" ";" spec "${spec}")
  list(GET spec 0 top)
  list(GET spec 1 probe)
  # NO_CMAKE_FIND_ROOT_PATH: the Emscripten toolchain re-roots searches into its sysroot.
  find_path(LAB_${top}_ROOT "${probe}" PATHS /usr/include /usr/local/include
            NO_DEFAULT_PATH NO_CMAKE_FIND_ROOT_PATH REQUIRED)
  file(MAKE_DIRECTORY "${LAB_SYSINC}")
  if(NOT EXISTS "${LAB_SYSINC}/${top}")
    file(CREATE_LINK "${LAB_${top}_ROOT}/${top}" "${LAB_SYSINC}/${top}" SYMBOLIC)
  endif()
endforeach()
