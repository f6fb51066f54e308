#include <curl/curl.h>

#include "cli/commands.h"

int main(int argc, char** argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = modelwatch::cli::Main(argc, argv);
  curl_global_cleanup();
  return rc;
}
