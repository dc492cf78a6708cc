#include "notify/outbox_dispatcher.h"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

namespace sb::notify {

struct OutboxDispatcher::Lane {
  explicit Lane(ChannelAdapter& a) : adapter(a) {}
  ChannelAdapter& adapter;
  std::mutex mu;
  std::condition_variable cv;
  bool wanted = false;
  bool stopping = false;
  std::thread thread;

  void Loop() {
    while (true) {
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return stopping || wanted; });
        if (stopping) return;
        wanted = false;
      }
      bool more = true;
      while (more) {
        Result<ChannelPass> pass = Status::Internal("not run");
        try {
          pass = adapter.RunOnce();
        } catch (const std::exception& e) {
          pass = Status::Internal(std::string("exception: ") + e.what());
        }
        if (!pass.ok()) {
          spdlog::error("outbox dispatch failed: channel={} error={}", adapter.channel(),
                        pass.status().ToString());
        }
        std::lock_guard lock(mu);
        more = pass.ok() && pass->claimed == adapter.batch() && !stopping;
      }
    }
  }
};

OutboxDispatcher::OutboxDispatcher(std::vector<ChannelAdapter*> channels) {
  for (ChannelAdapter* c : channels) lanes_.push_back(std::make_unique<Lane>(*c));
}

OutboxDispatcher::~OutboxDispatcher() { Stop(); }

void OutboxDispatcher::Start() {
  for (auto& lane : lanes_) {
    std::lock_guard lock(lane->mu);
    if (lane->thread.joinable()) continue;
    lane->stopping = false;
    lane->thread = std::thread([l = lane.get()] { l->Loop(); });
  }
}

Status OutboxDispatcher::Tick() {
  for (auto& lane : lanes_) {
    {
      std::lock_guard lock(lane->mu);
      lane->wanted = true;
    }
    lane->cv.notify_one();
  }
  return Status::Ok();
}

void OutboxDispatcher::Stop() {
  for (auto& lane : lanes_) {
    std::lock_guard lock(lane->mu);
    lane->stopping = true;
  }
  for (auto& lane : lanes_) {
    lane->cv.notify_all();
    std::thread t;
    {
      std::lock_guard lock(lane->mu);
      t = std::move(lane->thread);
    }
    if (t.joinable()) t.join();
  }
}

}  // namespace sb::notify
