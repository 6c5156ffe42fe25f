# subledger in a container, for CI systems and people without Rust:
#
#   docker build -t subledger .
#   docker run --rm -v "$PWD:/register" subledger check
#
# The register repository is mounted at /register, the working directory.
# Two stages: the build (Rust, the release profile) and a small runtime
# with git (for `release --sign`) that runs as an unprivileged user.
FROM rust:1.88-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock README.md subledger.toml ./
COPY src src
COPY register register
RUN cargo build --release --locked --bin subledger

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 10001 --user-group --create-home subledger
COPY --from=build /src/target/release/subledger /usr/local/bin/subledger
USER subledger
# A mounted repository belongs to the host's user, not this one: trust it
# in the user's global config, which git and libgit2 both read (libgit2
# ignores safe.directory in the system config). Commands that write (release,
# notice --save, site) need the host's user: docker run --user "$(id -u):$(id -g)".
RUN git config --global --add safe.directory '*'
WORKDIR /register
ENTRYPOINT ["subledger"]
CMD ["--help"]
