#pragma once

#include <string>

namespace modelwatch::cli {

// One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line
// break, with the quotes inside doubled.
std::string CsvField(const std::string& s);

}  // namespace modelwatch::cli
