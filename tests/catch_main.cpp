// Catch2 v2 main, compiled once (the slowest translation unit of the test build).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
