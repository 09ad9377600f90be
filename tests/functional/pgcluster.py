"""A throwaway PostgreSQL 15 server for functional tests: initdb into a temporary folder (as the `postgres`
user when run as root, since initdb refuses root), a free loopback port, fsync off, password authentication
over TCP as on a real server. stop()/start() simulate an outage; close() removes everything."""
import os
import pwd
import shutil
import subprocess
import tempfile

from harness import free_port

BIN = "/usr/lib/postgresql/15/bin/"
PASSWORD = "vnt-functional-secret"


class PgCluster:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="vnt_pg_")
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.port = free_port()
        self.dbs = 0
        self._run([BIN + "initdb", "-D", self.dir + "/data", "--auth-local=trust", "--auth-host=scram-sha-256",
                   "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        self.start()
        self.psql(f"ALTER ROLE postgres PASSWORD '{PASSWORD}'")

    def _run(self, cmd):
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        self._run([BIN + "pg_ctl", "-D", self.dir + "/data", "-w", "-l", self.dir + "/log", "-o", opts, "start"])

    def stop(self):
        self._run([BIN + "pg_ctl", "-D", self.dir + "/data", "-w", "-m", "fast", "stop"])

    def psql(self, sql, db="postgres"):
        """Runs SQL over the (trusted) Unix socket; returns the output rows as text."""
        cmd = [BIN + "psql", "-h", self.dir, "-p", str(self.port), "-U", "postgres", "-d", db, "-tAq", "-c", sql]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()

    def url(self, db="postgres", password=PASSWORD, user="postgres"):
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{db}"

    def fresh_db(self):
        self.dbs += 1
        name = f"vnt_f{self.dbs}"
        self.psql(f"CREATE DATABASE {name}")
        return name

    def close(self):
        try:
            self._run([BIN + "pg_ctl", "-D", self.dir + "/data", "-m", "immediate", "stop"])
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)
