# Source before any emcc/emcmake call (Debian's emscripten 3.1.6).
export NODE_PATH=/usr/share/nodejs      # emcc -O1+ runs acorn-optimizer.js, which needs Debian's node-acorn
export EMSDK_PYTHON=/usr/bin/python3    # /usr/bin/emcc runs "python3" from PATH (may be a pyenv one); pin it
