#include "alert/actions.h"

#include "core/text.h"

namespace modelwatch::alert {

namespace {

struct Text {
  const char* en;
  const char* zh;
};

std::string Pick(const Text& t, std::string_view language) {
  return language == "zh" ? t.zh : t.en;
}

}  // namespace

std::string FailingPhase(const CheckResult& r) {
  const std::string e = AsciiLower(r.error);
  if (e.find("resolve") != std::string::npos || e.find("dns") != std::string::npos) {
    return "dns";
  }
  if (e.find("ssl") != std::string::npos || e.find("tls") != std::string::npos ||
      e.find("certificate") != std::string::npos) {
    return "tls";
  }
  if (e.find("connect") != std::string::npos || e.find("refused") != std::string::npos) {
    return "connect";
  }
  if (r.phases.total.count() > 0) {
    if (r.phases.dns.count() == 0) {
      return "dns";
    }
    if (r.phases.connect.count() == 0) {
      return "connect";
    }
    if (r.phases.tls.count() == 0 && r.phases.first_byte.count() == 0) {
      return "tls";
    }
  }
  return "";
}

std::vector<std::string> SuggestedActions(std::string_view rule, std::optional<CheckStatus> status,
                                          std::string_view phase, bool has_status_pages,
                                          std::string_view lang) {
  std::vector<std::string> out;
  auto add = [&](const Text& t) { out.push_back(Pick(t, lang)); };
  const Text status_page =
      has_status_pages ? Text{"Check the provider's status page (linked below) for an incident.",
                              "查看下方链接的服务商状态页，确认是否有故障公告。"}
                       : Text{"Check the provider's status page for an incident.",
                              "查看服务商状态页，确认是否有故障公告。"};
  if (rule == "latency_p95") {
    add(
        {"Generation is slow: check the provider's status page and consider a faster model or "
         "region.",
         "生成变慢：查看服务商状态页，考虑换用更快的模型或区域。"});
    return out;
  }
  if (rule == "rate_limits") {
    add({"Too many rate-limit answers: slow down, spread the calls, or ask for a higher quota.",
         "限流过多：降低调用频率、错开请求，或申请更高配额。"});
    return out;
  }
  if (rule == "host_network") {
    add(
        {"This host lost its network: check its connection, DNS and proxy; provider alerts are "
         "held meanwhile.",
         "本机网络中断：检查本机网络连接、DNS 和代理；期间服务商告警暂停发送。"});
    return out;
  }
  if (!status) {
    add(status_page);
    return out;
  }
  switch (*status) {
    case CheckStatus::kAuthError:
      add({"Check the API key: it may be invalid, revoked, or not allowed to use this model.",
           "检查 API Key：可能无效、已吊销，或无权使用该模型。"});
      break;
    case CheckStatus::kQuotaExhausted:
      add({"Check billing and quota: the account's credit or quota is used up.",
           "检查账单和配额：账户余额或配额已用完。"});
      break;
    case CheckStatus::kNetworkError:
      if (phase == "dns") {
        add({"The DNS lookup failed: check the host name and this host's resolver.",
             "DNS 解析失败：检查域名和本机 DNS 设置。"});
      } else if (phase == "connect") {
        add({"The connection failed: check the firewall, proxy and route to the provider.",
             "连接失败：检查防火墙、代理和到服务商的网络路由。"});
      } else if (phase == "tls") {
        add(
            {"The TLS handshake failed: check certificates, the system clock and any "
             "intercepting proxy.",
             "TLS 握手失败：检查证书、系统时间以及是否有中间代理。"});
      } else {
        add({"The network failed: check DNS, the connection and TLS from this host.",
             "网络错误：检查本机的 DNS、连接和 TLS。"});
      }
      break;
    case CheckStatus::kClientError:
      add(
          {"Check the request parameters (model, size, prompt): the provider rejects the "
           "request itself.",
           "检查请求参数（模型、尺寸、提示词）：服务商拒绝了请求本身。"});
      break;
    case CheckStatus::kServerError:
    case CheckStatus::kTimeout:
      add(status_page);
      break;
    case CheckStatus::kInvalidResponse:
      add(
          {"The answer held no usable image: check the model's output settings and safety "
           "filters, then the status page.",
           "返回中没有可用图片：检查模型输出设置和安全过滤，再查看状态页。"});
      break;
    case CheckStatus::kModelNotFound:
      add({"The model was retired or renamed: update the monitor's model (take a current ID "
           "from the provider's model list).",
           "模型已下线或改名：请更新监控的模型（从服务商的模型列表中选取当前 ID）。"});
      break;
    case CheckStatus::kRateLimited:
      add({"Slow down: the provider answers with rate limits.", "降低调用频率：服务商返回限流。"});
      break;
    case CheckStatus::kDegraded:
    case CheckStatus::kSuccess:
      add(status_page);
      break;
  }
  return out;
}

}  // namespace modelwatch::alert
