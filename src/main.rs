//! The `shopper-intent` command; see `shopper_intent::cli`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    shopper_intent::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
