#pragma once
// Precompiled for the libraries with the most files (sb_app, sb_storage; sb_http adds Asio and
// Beast in http/pch.h): Boost.JSON and the standard headers nearly every file includes.
#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
