#pragma once
// A throwaway PostgreSQL 15 server for tests: initdb into a temporary folder (as the `postgres` user when
// run as root: initdb refuses root), started on a free loopback port with fsync off, stopped and removed
// at exit. One per test process, started on first use; each test takes a fresh database from it.
// No mocks: the store's PostgreSQL code talks to a real server.

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace vnt::store::testing {

class PgCluster {
 public:
  // The process's cluster (started on first call). Throws std::runtime_error when it cannot start.
  static PgCluster& Shared() {
    static std::unique_ptr<PgCluster> cluster;
    static std::mutex mu;
    std::lock_guard lk(mu);
    if (!cluster) cluster.reset(new PgCluster());
    return *cluster;
  }

  ~PgCluster() { Stop(); }

  int port() const { return port_; }
  // The password of the `postgres` role: TCP connections need it (scram-sha-256), as on a real server.
  static constexpr const char* kPassword = "vnt-test-secret";
  // URL of a database of this cluster.
  std::string Url(const std::string& db = "postgres") const {
    return "postgresql://postgres:" + std::string(kPassword) + "@127.0.0.1:" + std::to_string(port_) + "/" +
           db;
  }
  // Creates an empty database and returns its URL.
  std::string FreshDatabase() {
    const std::string name = "vnt_test_" + std::to_string(++databases_);
    Sql("CREATE DATABASE " + name);
    return Url(name);
  }
  // Runs SQL on the `postgres` database; throws on failure.
  void Sql(const std::string& sql, const std::string& db = "postgres") const {
    PGconn* c = PQconnectdb(Url(db).c_str());
    const bool connected = PQstatus(c) == CONNECTION_OK;
    PGresult* r = connected ? PQexec(c, sql.c_str()) : nullptr;
    const bool ok = r && (PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK);
    const std::string err = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error("pg test cluster: " + sql + ": " + err);
  }
  // First column of the first row as text ("" when no row).
  std::string Text(const std::string& sql, const std::string& url) const {
    PGconn* c = PQconnectdb(url.c_str());
    PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.c_str()) : nullptr;
    std::string out;
    if (r && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0) out = PQgetvalue(r, 0, 0);
    PQclear(r);
    PQfinish(c);
    return out;
  }
  // Stops the server (fast shutdown), keeping its data; Start() brings it back on the same port.
  void Pause() { Ctl("-m fast stop"); }
  void Resume() { Ctl("start -o \"" + Options() + "\" -l " + (dir_ / "log").string()); }

 private:
  PgCluster() {
    const std::string bin = "/usr/lib/postgresql/15/bin/";
    if (!std::filesystem::exists(bin + "initdb"))
      throw std::runtime_error("pg test cluster: PostgreSQL 15 is not installed (scripts/install-deps.sh)");
    char tmpl[] = "/tmp/vnt_pg_XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("pg test cluster: mkdtemp failed");
    dir_ = tmpl;
    as_postgres_ = geteuid() == 0;
    if (as_postgres_) {
      const passwd* pw = getpwnam("postgres");
      if (!pw) throw std::runtime_error("pg test cluster: no postgres user");
      if (chown(tmpl, pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("pg test cluster: chown failed");
    }
    port_ = FreePort();
    Run(bin + "initdb -D " + (dir_ / "data").string() +
        " --auth-local=trust --auth-host=scram-sha-256 -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >" +
        (dir_ / "initdb.log").string() + " 2>&1");
    Resume();
    started_ = true;
    // Set the password over the Unix socket (trusted), then every test connects over TCP with it.
    const std::string local =
        "host=" + dir_.string() + " port=" + std::to_string(port_) + " user=postgres dbname=postgres";
    PGconn* c = PQconnectdb(local.c_str());
    PGresult* r = PQstatus(c) == CONNECTION_OK
                      ? PQexec(c, ("ALTER ROLE postgres PASSWORD '" + std::string(kPassword) + "'").c_str())
                      : nullptr;
    const bool ok = r && PQresultStatus(r) == PGRES_COMMAND_OK;
    const std::string err = PQerrorMessage(c);
    PQclear(r);
    PQfinish(c);
    if (!ok) throw std::runtime_error("pg test cluster: cannot set the password: " + err);
  }

  std::string Options() const {
    return "-p " + std::to_string(port_) + " -k " + dir_.string() +
           " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  }

  void Ctl(const std::string& args) {
    Run("/usr/lib/postgresql/15/bin/pg_ctl -D " + (dir_ / "data").string() + " -w " + args + " >>" +
        (dir_ / "ctl.log").string() + " 2>&1");
  }

  void Run(const std::string& cmd) const {
    const std::string full = as_postgres_ ? "runuser -u postgres -- sh -c '" + cmd + "'" : cmd;
    if (std::system(full.c_str()) != 0) throw std::runtime_error("pg test cluster: failed: " + cmd);
  }

  void Stop() {
    if (started_) {
      try {
        Ctl("-m immediate stop");
      } catch (const std::exception&) {
      }
      started_ = false;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static int FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
                       getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0;
    const int port = bound ? ntohs(a.sin_port) : 0;
    close(fd);
    return port;
  }

  std::filesystem::path dir_;
  int port_ = 0;
  int databases_ = 0;
  bool as_postgres_ = false;
  bool started_ = false;
};

}  // namespace vnt::store::testing
