//! Values shared between the page's components without copying them.

use std::rc::Rc;

/// A shared value compared by identity: the stage's parts get the same
/// `Rc` until the engine's view changes, and comparing that is free.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared(Rc::default())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The latest value of something that changes every frame, for a part of
/// the page that needs it only when the reader acts (the Export menu
/// reads the run at the cursor when a button is pressed). Compared by
/// identity, it never changes, so the part holding it does not render
/// again on every frame while the clock plays.
#[derive(Debug, Default)]
pub struct Latest<T>(pub Rc<std::cell::RefCell<T>>);

impl<T> Clone for Latest<T> {
    fn clone(&self) -> Self {
        Latest(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Latest<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T: Clone> Latest<T> {
    /// The value as it is now.
    pub fn get(&self) -> T {
        self.0.borrow().clone()
    }

    /// Replaces the value (the page does so as it renders).
    pub fn set(&self, value: T) {
        *self.0.borrow_mut() = value;
    }
}
