//! The `shopper-intent` command; see `shopper_intent::cli`.

// Replay allocates and frees small blocks per row on every thread; glibc's malloc spent about a
// third of `evaluate` on them.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    shopper_intent::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
