# The wasm targets: Dear ImGui, the app (core + UI + bindings, one binary), and the Node module.
if(NOT EXISTS "${LAB_IMGUI_DIR}/imgui.h")
  message(FATAL_ERROR "Dear ImGui sources not found in ${LAB_IMGUI_DIR}: run scripts/install-deps.sh")
endif()

add_library(imgui STATIC
  ${LAB_IMGUI_DIR}/imgui.cpp ${LAB_IMGUI_DIR}/imgui_draw.cpp ${LAB_IMGUI_DIR}/imgui_tables.cpp
  ${LAB_IMGUI_DIR}/imgui_widgets.cpp ${LAB_IMGUI_DIR}/backends/imgui_impl_opengl3.cpp)
target_include_directories(imgui SYSTEM PUBLIC "${LAB_IMGUI_DIR}" "${LAB_IMGUI_DIR}/backends")
target_compile_definitions(imgui PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_OBSOLETE_FUNCTIONS
  IMGUI_ENABLE_TEST_ENGINE)  # the hooks only: ui/app/ui_probe.cpp implements them for tests
target_compile_options(imgui PRIVATE -w)

# UI: reads the core, draws with ImGui; no Emscripten in here.
file(GLOB_RECURSE LAB_UI_SOURCES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/ui/*.cpp")
add_library(lab_ui STATIC ${LAB_UI_SOURCES})
target_include_directories(lab_ui PUBLIC "${CMAKE_SOURCE_DIR}/ui")
target_link_libraries(lab_ui PUBLIC lab_core imgui)

set(LAB_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
if(NOT EXISTS "${LAB_FONT}")
  message(FATAL_ERROR "${LAB_FONT} not found: install Debian's fonts-dejavu-core (scripts/install-deps.sh)")
endif()
# The page needs only the glyphs the UI rasterises (wasm/main.cpp's ranges: Latin-1, Greek, punctuation,
# arrows, mathematical operators): a subset of DejaVu Sans, 85 KB instead of 760 KB on the first load. Same
# outlines, so the same pixels (ImGui's rasteriser reads no hinting; the names and licence stay).
find_program(LAB_PYFTSUBSET pyftsubset)
if(LAB_PYFTSUBSET)
  set(LAB_UI_FONT "${CMAKE_BINARY_DIR}/ui-font.ttf")
  add_custom_command(OUTPUT "${LAB_UI_FONT}"
    COMMAND "${LAB_PYFTSUBSET}" "${LAB_FONT}" "--unicodes=U+0020-00FF,U+0370-03FF,U+2000-206F,U+2190-21FF,U+2200-22FF"
            "--output-file=${LAB_UI_FONT}" --no-hinting "--layout-features=" "--name-IDs=*" --notdef-outline
    DEPENDS "${LAB_FONT}" VERBATIM)
else()
  message(WARNING "pyftsubset not found (Debian's fonttools: scripts/install-deps.sh): shipping the whole font")
  set(LAB_UI_FONT "${LAB_FONT}")
endif()
add_custom_target(lab_ui_font DEPENDS "${LAB_UI_FONT}")

if(LAB_THREADS)
  set(_out neuronlab)
  # One worker per logical core (capped like lab::kMaxThreads): kernels use N-1 pool workers plus the
  # job thread. Evaluated in the page at startup.
  set(_thr "-sPTHREAD_POOL_SIZE=Math.min(navigator.hardwareConcurrency||4,16)")
else()
  set(_out neuronlab_st)
  set(_thr "")
endif()

add_executable(lab_app wasm/main.cpp wasm/platform_html5.cpp wasm/texture_gl.cpp wasm/bindings.cpp)
target_link_libraries(lab_app PRIVATE lab_ui)
target_compile_definitions(lab_app PRIVATE LAB_WITH_UI)
set_target_properties(lab_app PROPERTIES OUTPUT_NAME ${_out} RUNTIME_OUTPUT_DIRECTORY "${LAB_SITE_DIR}")
target_link_options(lab_app PRIVATE -lembind -sMIN_WEBGL_VERSION=2 -sMAX_WEBGL_VERSION=2
  -sENVIRONMENT=web,worker -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -sMODULARIZE=1
  -sEXPORT_NAME=createNeuronLab -sEXIT_RUNTIME=0 -sEXPORTED_RUNTIME_METHODS=[] -Wno-pthreads-mem-growth
  # DYNAMIC_EXECUTION=0: Embind builds its invokers as closures, not with new Function(), so the page's
  # Content-Security-Policy needs no 'unsafe-eval' (public/index.html; docs/security.md).
  -sDYNAMIC_EXECUTION=0
  "--preload-file=${LAB_UI_FONT}@/fonts/ui.ttf" ${_thr})
add_dependencies(lab_app lab_ui_font)
set_property(TARGET lab_app APPEND PROPERTY LINK_DEPENDS "${LAB_UI_FONT}")

# The core with its bindings, for Node (the JS API module and its tests). No UI.
if(LAB_THREADS)
  add_executable(lab_node wasm/bindings.cpp)
  target_link_libraries(lab_node PRIVATE lab_core)
  set_target_properties(lab_node PROPERTIES OUTPUT_NAME neuronlab_node RUNTIME_OUTPUT_DIRECTORY "${LAB_SITE_DIR}/node")
  # NODEJS_CATCH_*=0: the module adds no process-wide uncaughtException / unhandledRejection listeners (they
  # outlived close() and rethrew every error of the user's script as one huge minified line).
  target_link_options(lab_node PRIVATE -lembind -sENVIRONMENT=node -sMODULARIZE=1 -sEXPORT_NAME=createNeuronLabCore
    -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0
    -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB -Wno-pthreads-mem-growth
    "-sPTHREAD_POOL_SIZE=Math.min(require('os').cpus().length,16)"
    "--pre-js=${CMAKE_SOURCE_DIR}/wasm/node_prejs.js")
endif()
