// Boost.Asio (with its OpenSSL layer) and Boost.Beast compiled once, here, for the whole program.
// Every translation unit is built with BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION
// (top-level CMakeLists.txt), so the libraries' non-template code is declared where it is used and defined
// only in this file: a Beast translation unit compiles about a fifth faster (ssi_client.cpp: 226 -> 176 s in
// the sanitized debug build), and the non-template code is instrumented and optimised once, not per file.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
