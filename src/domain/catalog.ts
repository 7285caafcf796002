/** A department (承办单位): the unit responsible for tickets of its categories. */
export interface Department {
  id: string
  nameZh: string
  nameEn: string
}

/** A category of reports (诉求分类), with the department that handles it by default and the words that point to it. */
export interface Category {
  id: string
  nameZh: string
  nameEn: string
  departmentId: string
  keywords: string[]
}

/** Categories and departments as a deployment configures them. */
export interface Catalog {
  departments: Department[]
  categories: Category[]
}
