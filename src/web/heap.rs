//! Memory and panics of the browser build, which has no `std`.
//!
//! The allocator is a bump allocator with a mark: everything that lives across calls is either
//! in statics (the profile is plain data) or allocated by `init` below the mark; every other
//! allocation belongs to one call and is released at once when the next call starts
//! ([`reset`]). That is all the engine needs, in a few dozen bytes (dlmalloc costs 3 KB, measured).
//!
//! A panic stops the call without a message (`unreachable`); the loader treats a trap like any
//! other failure of the call, and the fuzz targets keep the core from having any.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

const PAGE: usize = 65_536;

struct Bump {
    next: UnsafeCell<usize>,
    mark: UnsafeCell<usize>,
}

// wasm32-unknown-unknown has one thread.
unsafe impl Sync for Bump {}

extern "C" {
    static __heap_base: u8;
}

#[global_allocator]
static HEAP: Bump = Bump {
    next: UnsafeCell::new(0),
    mark: UnsafeCell::new(0),
};

fn heap_start() -> usize {
    // The linker defines `__heap_base`; only its address is taken.
    core::ptr::addr_of!(__heap_base) as usize
}

unsafe impl GlobalAlloc for Bump {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let next = &mut *self.next.get();
        if *next == 0 {
            *next = heap_start();
        }
        let start = (*next + layout.align() - 1) & !(layout.align() - 1);
        let Some(end) = start.checked_add(layout.size()) else {
            return core::ptr::null_mut();
        };
        let have = core::arch::wasm32::memory_size(0) * PAGE;
        if end > have {
            let pages = (end - have).div_ceil(PAGE);
            if core::arch::wasm32::memory_grow(0, pages) == usize::MAX {
                return core::ptr::null_mut();
            }
        }
        *next = end;
        start as *mut u8
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // The last allocation can be given back at once (vectors that grow do this often).
        let next = &mut *self.next.get();
        if ptr as usize + layout.size() == *next {
            *next = ptr as usize;
        }
    }
}

/// Frees everything allocated since the mark (the start of a call).
pub fn reset() {
    // SAFETY: single-threaded; nothing allocated after the mark outlives the call that made it.
    unsafe {
        let next = &mut *HEAP.next.get();
        let mark = *HEAP.mark.get();
        if mark != 0 {
            *next = mark;
        }
    }
}

/// What is allocated now lives on across calls (the model, after `init`).
pub fn keep() {
    // SAFETY: single-threaded.
    unsafe {
        *HEAP.mark.get() = *HEAP.next.get();
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
