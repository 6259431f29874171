//! Users and roles. vCenter's three system roles, as privilege sets over the API's
//! privilege ids (a generated crate's `privileges`): `Admin` holds every privilege,
//! `ReadOnly` may look (`System.Anonymous`, `System.View`, `System.Read`), `NoAccess` holds
//! nothing and cannot log in.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use vim_runtime::{ApiInfo, Privilege};

/// A system role (granted on the root folder, so on every object).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    ReadOnly,
    NoAccess,
}

/// The privileges vCenter's `ReadOnly` role holds (those the spec knows are used).
const READ_ONLY: [&str; 3] = ["System.Anonymous", "System.View", "System.Read"];

impl Role {
    pub fn has(self, p: Privilege) -> bool {
        match self {
            Role::Admin => true,
            Role::ReadOnly => READ_ONLY.contains(&p.id()),
            Role::NoAccess => false,
        }
    }

    /// Every privilege of the role that the API knows.
    pub fn privileges(self, api: &ApiInfo) -> Vec<Privilege> {
        api.privileges.iter().copied().filter(|p| self.has(*p)).collect()
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        match s {
            "Admin" => Ok(Role::Admin),
            "ReadOnly" => Ok(Role::ReadOnly),
            "NoAccess" => Ok(Role::NoAccess),
            other => Err(format!("unknown role {other:?} (Admin, ReadOnly or NoAccess)")),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Admin => "Admin",
            Role::ReadOnly => "ReadOnly",
            Role::NoAccess => "NoAccess",
        })
    }
}

/// One configured user. `Debug` leaves the password out.
#[derive(Clone)]
pub struct User {
    pub name: String,
    password: String,
    pub role: Role,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User").field("name", &self.name).field("role", &self.role).finish_non_exhaustive()
    }
}

impl User {
    pub fn new(name: impl Into<String>, password: impl Into<String>, role: Role) -> User {
        User { name: name.into(), password: password.into(), role }
    }

    /// `NAME:PASSWORD[:ROLE]` (the role defaults to Admin; the password may not contain `:`
    /// unless a role follows).
    pub fn parse(spec: &str) -> Result<User, String> {
        let (name, rest) = spec.split_once(':').ok_or("expected NAME:PASSWORD[:ROLE]")?;
        let (password, role) = match rest.rsplit_once(':') {
            Some((p, r)) if r.parse::<Role>().is_ok() => (p, r.parse()?),
            _ => (rest, Role::Admin),
        };
        if name.is_empty() || password.is_empty() {
            return Err("user name and password must not be empty".into());
        }
        Ok(User::new(name, password, role))
    }
}

/// The users a server accepts.
#[derive(Clone, Debug, Default)]
pub struct Users {
    by_name: HashMap<String, User>,
}

impl Users {
    pub fn new(users: impl IntoIterator<Item = User>) -> Users {
        Users { by_name: users.into_iter().map(|u| (u.name.clone(), u)).collect() }
    }

    /// The user, if the password is theirs. Compared in constant time.
    pub fn check(&self, name: &str, password: &str) -> Option<&User> {
        let u = self.by_name.get(name)?;
        constant_time_eq(u.password.as_bytes(), password.as_bytes()).then_some(u)
    }

    pub fn get(&self, name: &str) -> Option<&User> {
        self.by_name.get(name)
    }
}

/// Equal bytes, compared without an early exit (a wrong password's prefix is not timed).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_specs() {
        let u = User::parse("admin:secret").unwrap();
        assert_eq!((u.name.as_str(), u.password.as_str(), u.role), ("admin", "secret", Role::Admin));
        let u = User::parse("viewer:pw:ReadOnly").unwrap();
        assert_eq!((u.password.as_str(), u.role), ("pw", Role::ReadOnly));
        let u = User::parse("x:a:b").unwrap();
        assert_eq!((u.password.as_str(), u.role), ("a:b", Role::Admin), "not a role: part of the password");
        assert!(User::parse("nobody").is_err());
        assert!(User::parse(":pw").is_err());
        assert!(!format!("{u:?}").contains("a:b"), "Debug shows no password");
    }

    #[test]
    fn roles() {
        let view = Privilege::new("System.View");
        let terminate = Privilege::new("Sessions.TerminateSession");
        assert!(Role::ReadOnly.has(view) && !Role::ReadOnly.has(terminate));
        assert!(Role::Admin.has(terminate));
        assert!(!Role::NoAccess.has(view));
        static ALL: [Privilege; 3] =
            [Privilege::new("Sessions.TerminateSession"), Privilege::new("System.Read"), Privilege::new("System.View")];
        let api = ApiInfo { versions: &[], privileges: &ALL, managed_objects: &[] };
        assert_eq!(Role::ReadOnly.privileges(&api), [ALL[1], ALL[2]]);
        assert_eq!(Role::Admin.privileges(&api).len(), 3);
        assert!(Role::NoAccess.privileges(&api).is_empty());
        let users = Users::new([User::new("a", "pw", Role::Admin)]);
        assert!(users.check("a", "pw").is_some());
        assert!(users.check("a", "pW").is_none() && users.check("b", "pw").is_none());
    }
}
