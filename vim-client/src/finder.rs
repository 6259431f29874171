//! Finding objects: by inventory path (`/DC0/vm/folder/name`, through the SearchIndex), by
//! name and type (a ContainerView over the inventory), and listing what is under a path.

use vim_runtime::{ManagedObject, ManagedObjectReference, MoRef, PropertyPath};

use crate::error::{Error, Result};
use crate::props::{is_a, View};
use crate::wire::{self, RawObject};
use crate::Client;

/// One entry of [`Client::list`]: a child's name and reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub obj: ManagedObjectReference,
}

/// The properties that hold an object's children in the inventory, by its type.
fn child_properties(api: &'static vim_runtime::ApiInfo, type_name: &str) -> &'static [&'static str] {
    let info = api.managed_object(type_name);
    let is = |t: &str| info.is_some_and(|i| is_a(i, t)) || type_name == t;
    if is("Folder") {
        &["childEntity"]
    } else if is("Datacenter") {
        &["vmFolder", "hostFolder", "datastoreFolder", "networkFolder"]
    } else if is("ComputeResource") {
        &["host", "resourcePool"]
    } else if is("ResourcePool") {
        &["resourcePool", "vm"]
    } else {
        &[]
    }
}

impl Client {
    /// The object at an inventory path (`/DC0/vm/DC0_H0_VM0`; the leading `/` is optional),
    /// typed as `T` when it is one (checked against the API's type lineage).
    pub async fn find<T: ManagedObject>(&self, path: &str) -> Result<MoRef<T>> {
        let r = self.find_any(path).await?;
        self.downcast(&r)
    }

    /// The object at an inventory path, whatever its type (`/` is the root folder).
    pub async fn find_any(&self, path: &str) -> Result<ManagedObjectReference> {
        let core = self.core().await?;
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            return Ok(core.root_folder);
        }
        let index = core.search_index.ok_or_else(|| Error::NotFound("the service has no SearchIndex".into()))?;
        let body = wire::body(|w| wire::text(w, "inventoryPath", trimmed));
        match self.call::<wire::FindByInventoryPath>(&index, body).await? {
            Some(raw) => Ok(wire::decode_fragment(&raw)?),
            None => Err(Error::NotFound(format!("nothing at {path}"))),
        }
    }

    /// Every object of type `T` named `name`, anywhere in the inventory.
    pub async fn find_by_name<T: ManagedObject>(&self, name: &str) -> Result<Vec<MoRef<T>>> {
        let root = self.core().await?.root_folder;
        let view: View<T> = self.view(&MoRef::<T>::from_untyped(root)).await?;
        let path = PropertyPath::<T, String>::new("name");
        let objects = self.retrieve(&view, &[&path]).all().await;
        view.destroy().await?;
        Ok(objects?.into_iter().filter(|o| o.get(&path).is_ok_and(|n| n == name)).map(|o| o.obj).collect())
    }

    /// What is under an inventory path: a folder's children, a datacenter's four folders,
    /// a cluster's hosts and pool, a pool's pools and VMs; sorted by name.
    pub async fn list(&self, path: &str) -> Result<Vec<Entry>> {
        let obj = self.find_any(path).await?;
        let props = child_properties(self.api(), &obj.type_name);
        if props.is_empty() {
            return Ok(Vec::new());
        }
        let found = self.retrieve_raw(&obj.type_name, std::slice::from_ref(&obj), props).await?;
        let mut children: Vec<ManagedObjectReference> = Vec::new();
        for o in &found {
            for p in props {
                children.extend(o.refs(p)?);
            }
        }
        // Names, one retrieval per type.
        let mut types: Vec<&str> = children.iter().map(|c| c.type_name.as_str()).collect();
        types.sort();
        types.dedup();
        let mut out = Vec::new();
        for t in types {
            let of_type: Vec<ManagedObjectReference> = children.iter().filter(|c| c.type_name == t).cloned().collect();
            let named: Vec<RawObject> = self.retrieve_raw(t, &of_type, &["name"]).await?;
            for o in named {
                let name = o.value::<String>("name")?.unwrap_or_default();
                out.push(Entry { name, obj: o.obj });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }
}
