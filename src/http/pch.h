#pragma once
// Precompiled for sb_http: the heavy Boost headers every handler includes.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
